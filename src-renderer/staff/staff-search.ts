/** The search field 「/」 jumps to from any staff screen: the account lookup's query. */
export const STAFF_SEARCH_ID = 'lookup-query';
