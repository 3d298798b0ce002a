import { AppError } from '../contract/errors';
import type { CallContext, Handlers } from './call-context';
import type { InquiryService } from './inquiry-service';
import type { MypageService } from './mypage-service';

export interface ContactHandlerDeps {
  mypage: MypageService;
  inquiry: InquiryService;
}

type MypageCall = Extract<keyof Handlers, `mypage.${string}` | `inquiry.${string}`>;

/** The role check already ran (dispatch); this only names the account the session holds. */
function accountOf(ctx: CallContext): string {
  const id = ctx.session.principal.customer?.accountId;
  if (!id) throw new AppError('UNAUTHENTICATED');
  return id;
}

/** マイページ and the kiosk forms, bound to their services (merged into call-handlers.ts). */
export function contactHandlers({ mypage, inquiry }: ContactHandlerDeps): Pick<Handlers, MypageCall> {
  return {
    'mypage.profile': (_input, ctx) => mypage.profile(accountOf(ctx)),
    'mypage.changeContactName': (input, ctx) => mypage.changeContactName(accountOf(ctx), input.contactName, ctx.actor),
    'mypage.requestEmailChange': (input, ctx) => mypage.requestEmailChange(accountOf(ctx), input, ctx.actor),
    'mypage.confirmEmailChange': (input, ctx) => mypage.confirmEmailChange(accountOf(ctx), input.code, input.locale, ctx.actor),
    'mypage.cancelEmailChange': (_input, ctx) => mypage.cancelEmailChange(accountOf(ctx), ctx.actor),
    'mypage.checkPassword': (input, ctx) => mypage.checkPassword(accountOf(ctx), input.password),
    'mypage.changePassword': (input, ctx) => mypage.changePassword(accountOf(ctx), input, ctx.actor, ctx.session.id),

    'inquiry.jsaIdUnknown': ({ locale, ...data }, ctx) => inquiry.submit('jsa_id_unknown', data, locale, ctx.actor),
    'inquiry.contactChange': ({ locale, ...data }, ctx) => inquiry.submit('contact_change', data, locale, ctx.actor),
  };
}
