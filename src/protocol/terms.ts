// What TornCat does with a member's Torn API key and the data read with it, in the table Torn's API
// terms require wherever a key is entered. Every surface renders this one text: the board's sign-in
// (src/server/clients/dashboard-page.ts), the userscript panel (src/client/userscript/panel.ts) and
// docs/members.md (test/server/terms.test.ts checks it matches). It states what the code does: when it
// changes, this changes with it.

/**
 * One column of Torn's table: its heading, the question Torn asks under it, and TornCat's answer.
 * Torn's API documentation gives each column a short list of answers (test/server/terms.test.ts holds
 * them, with their source): the answer starts with those true of TornCat (`options`), then says which
 * part each covers.
 */
export interface TermsColumn {
  readonly title: string;
  readonly question: string;
  /** The options from Torn's list for this column that are true of TornCat, in Torn's words. */
  readonly options: readonly string[];
  /** The options, each with what it covers: shown in bold. */
  readonly answer: string;
  /** What exactly, and until when. */
  readonly detail: string;
}

/** The access level TornCat asks for, as Torn names it (its key type is "Public Only"). */
export const KEY_ACCESS_LEVEL = 'Public';

/**
 * Torn's key page with a new Public Only key named "TornCat" filled in: `type=1` is Public Only (2
 * Minimal, 3 Limited, 4 Full), as Torn's announcement of key creation links gives them
 * (https://www.torn.com/forums.php?p=threads&f=63&t=16249068).
 */
export const CREATE_KEY_URL = 'https://www.torn.com/preferences.php#tab=api?step=addNewKey&title=TornCat&type=1';

// A later Discord integration (webhooks posting to a faction's channel) adds what it shares to the
// Data Sharing column: the options and the detail say who can read it there.
export const TERMS: readonly TermsColumn[] = Object.freeze([
  {
    title: 'Data Storage',
    question: 'Will the data be stored for any purpose?',
    options: ['Persistent - forever', 'Persistent - until account deletion'],
    answer: 'Persistent - forever (war data), Persistent - until account deletion (your key)',
    detail:
      "Your faction's ranked wars (scores, the enemy's members and their statuses, travel and marks), your faction's " +
      'chain, and your Torn id, name, level, faction and faction position: kept, with no set end. Your API key: until ' +
      'you sign out of your last session, press “Forget my key”, leave the faction or go 30 days without using ' +
      'TornCat; a key Torn stops accepting, 30 days after that. Calls: until 30 days after they end; requests for ' +
      'help: until they expire.',
  },
  {
    title: 'Data Sharing',
    question: 'Who can access the data besides the end user?',
    options: ['Faction', 'Service owners'],
    answer: "Faction, Service owners (this server's operator)",
    detail:
      "Members of your faction signed in to this server see your faction's war board: targets, scores and who called " +
      "whom. The server's operator can read its database. Discord, only when a leader sets a webhook: war start and " +
      "end with the score, the chain count when it is about to break, and the name and id of priority targets are " +
      'posted to that channel. Nobody else.',
  },
  {
    title: 'Purpose of Use',
    question: 'What is the stored data being used for?',
    options: ['Competitive advantage'],
    answer: "Competitive advantage: coordinating your faction's ranked wars",
    detail:
      "Calls, so that two members don't hit the same target, live hospital timers and alerts, and the chain. Your key " +
      "polls on your faction's behalf, shared with your faction-mates' keys: the ranked war, the enemy's members, " +
      "your own member list (positions decide who may mark targets) and your faction's chain. Each request shows as " +
      "“torncat” in your key's log.",
  },
  {
    title: 'Key Storage & Sharing',
    question: 'Will the API key be stored securely and who can access it?',
    options: ['Stored / Used only for automation'],
    answer: 'Stored / Used only for automation',
    detail:
      "Encrypted (AES-256-GCM) in the server's database and used only by the server to poll Torn; it is never shown to " +
      'anyone or sent to a browser. Your browser keeps only a session token.',
  },
  {
    title: 'Key Access Level',
    question: 'What key access level or specific selections are required?',
    options: [KEY_ACCESS_LEVEL],
    answer: KEY_ACCESS_LEVEL,
    detail:
      'A Public Only key is enough: TornCat reads public data only. A Minimal, Limited or Full key is accepted too, and ' +
      "stored as it is: in TornPDA, “Sign in with your PDA key” sends the key PDA gives the script, which is PDA's own " +
      'Limited key unless you set a Public key for TornCat in PDA (its Set API Key; the install page shows how). A Custom ' +
      'key works if it may read user profile and faction members and wars (and faction chain, for the chain watch).',
  },
]);
