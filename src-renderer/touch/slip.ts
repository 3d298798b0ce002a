/**
 * What a 受付票 (printed slip, issue 15) may hold: the kind of request, when, at which
 * counter, and the masked JSA-ID or the WD- reference. Never a code, a link or an address:
 * the type has no place for them.
 */
export type SlipKind = 'reset' | 'jsa_id_unknown' | 'contact_change';

export interface SlipData {
  kind: SlipKind;
  /** ISO time of the request. */
  receivedAt: string;
  /** Masked JSA-ID ("•••••••8901") for a reset request; undefined when only an address was given. */
  maskedJsaId?: string;
  /** WD-XXXXXXXX for an inquiry. */
  reference?: string;
}
