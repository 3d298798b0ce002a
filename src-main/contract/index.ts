// The renderer's door into the main process's vocabulary: calls, codes, field rules.
export * from './errors';
export * from './roles';
export * from './registry';
export * from './client';
export * from './fields';
export { passwordCheckItemSchema } from './reset-calls';
export { appModeSchema } from './app-calls';
export { textSizeSchema, contrastSchema, type KioskView } from './kiosk-calls';
export { parseJsaId, maskJsaId, JSA_ID_LENGTH } from '../domain/jsa-id';
export { CODE_ALPHABET, CODE_LENGTH, formatCode } from '../domain/reset-code';
export type { PasswordRule, PasswordCheckItem } from '../domain/password-policy';
export type { PasswordPolicy, RuntimeSettings } from '../domain/runtime-settings';
// Staff tools (issue 16): who may do what, the label table, masking and durations.
export * from './staff-permissions';
export * from './code-labels';
export * from './audit-actions';
export * from './mail-kinds';
export { forStaff, forStaffByShape, staffMaskingRules, type StaffValueKind } from '../domain/staff-masking';
export { formatDuration, durationParts } from '../domain/duration-text';
export { CLOCK_SKEW_MS } from './clock-skew';
// Account import and export screens (issue 18 §4): the calls' shapes and the rejected rows' words.
export * from './account-file-calls';
export { IMPORT_COLUMNS, importColumnLabels, importReasonText, type ImportIssue } from './import-messages';
// Why central could not be used, in a clerk's words (同期の状態, 初期設定's 接続テスト).
export * from './central-failures';
export * from './mail-failures';
export * from './setting-labels';
