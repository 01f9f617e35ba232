// What TornCat does with a member's Torn API key and the data read with it, in the table Torn's API
// terms require wherever a key is entered. Every surface renders this one text: the board's sign-in
// (src/server/clients/dashboard-page.ts), the userscript panel (src/client/userscript/panel.ts) and
// docs/members.md (test/server/terms.test.ts checks it matches). It states what the code does: when it
// changes, this changes with it.

/** One column of Torn's table: its heading, the question Torn asks under it, and TornCat's answer. */
export interface TermsColumn {
  readonly title: string;
  readonly question: string;
  /** The answer in Torn's few words. */
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

export const TERMS: readonly TermsColumn[] = Object.freeze([
  {
    title: 'Data Storage',
    question: 'Will the data be stored for any purpose?',
    answer: 'Persistent, on this TornCat server',
    detail:
      'Your API key: until you sign out of your last session, press “Forget my key”, leave the faction or go 30 days ' +
      'without using TornCat; a key Torn stops accepting, 30 days after that. Your Torn id, name, level, faction and ' +
      "faction position, your faction's chain, and your faction's ranked wars (scores, the enemy's members and their " +
      "statuses, travel and marks, the enemy's chain): kept, with no set end. Calls: until 30 days after they end; " +
      'requests for help: until they expire.',
  },
  {
    title: 'Data Sharing',
    question: 'Who can access the data besides the end user?',
    answer: "Your faction's members",
    detail:
      "Members of your faction signed in to this server see your faction's war board: targets, scores and who called " +
      "whom. Nobody else; the server's operator can read its database.",
  },
  {
    title: 'Purpose of Use',
    question: 'What is the stored data being used for?',
    answer: "Coordinating your faction's ranked wars",
    detail:
      "Calls, so that two members don't hit the same target, live hospital timers and alerts, and both chains. Your key " +
      "polls on your faction's behalf, shared with your faction-mates' keys: the ranked war, the enemy's members, " +
      "your own member list (positions decide who may mark targets) and your faction's chain. Each request shows as " +
      "“torncat” in your key's log.",
  },
  {
    title: 'Key Storage & Sharing',
    question: 'Will the API key be stored securely and who can access it?',
    answer: 'Stored encrypted / used only for automation',
    detail:
      "Encrypted (AES-256-GCM) in the server's database and used only by the server to poll Torn; it is never shown to " +
      'anyone or sent to a browser. Your browser keeps only a session token.',
  },
  {
    title: 'Key Access Level',
    question: 'What key access level or specific selections are required?',
    answer: KEY_ACCESS_LEVEL,
    detail:
      'A Public Only key is enough: TornCat reads public data only. A custom key works if it may read user profile and ' +
      'faction members and wars (and faction chain, for the chain watch).',
  },
]);
