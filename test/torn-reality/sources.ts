// Where each entry of the reality corpus comes from: a public repository, path and commit (or Torn's
// OpenAPI document as the `tornapi-typescript` package ships it), the date the source itself carries,
// and the date it was read for this corpus. Entries cite a source by its key here.

export interface Source {
  /** `owner/name` on GitHub, or the npm package for Torn's spec. */
  repo: string;
  /** A commit (40 hex), or the package version. */
  at: string;
  paths: readonly string[];
  /** The date the source carries for what is cited (commit date, capture date in the file, changelog date). */
  dated: string;
  /** When it was read for this corpus. */
  seen: string;
  what: string;
}

const SEEN = '2026-12-07';

export const SOURCES = {
  tornSpec: {
    repo: 'npm:tornapi-typescript (Torn-Playground/tornapi-typescript, Torn API v2 OpenAPI document)',
    at: '6.13.6',
    paths: [
      'dist/openapi.json#/components/schemas/UserStatus',
      '#/components/schemas/UserPlaneImageTypeEnum',
      '#/components/schemas/UserFlyMethodEnum',
    ],
    dated: '2026-12-07',
    seen: SEEN,
    what: 'UserStatus.plane_image_type ∈ {private_jet, light_aircraft, airliner}, "populated only if the state is Traveling"; a traveller\'s own fly method ∈ {Private, Business, Airstrip, Standard}; every v2 answer shape.',
  },
  tornToolsAttackUrl: {
    repo: 'Mephiles/torntools_extension',
    at: 'a9a568d3d9d18fcfc6e4c08b555cd29d05edbf7e',
    paths: ['extension/manifest.json', 'extension/changelog.json ("Adjust scripts to work on the new page urls")'],
    dated: '2026-04-10',
    seen: SEEN,
    what: 'Every content-script match moves from https://www.torn.com/loader.php?sid=attack&* to https://www.torn.com/page.php?sid=attack&*.',
  },
  tornToolsHead: {
    repo: 'Mephiles/torntools_extension',
    at: '6beab14825caa14d951544c7af11c2b174cd3306',
    paths: ['src/userscripts/entries/weapon-experience/metadata.ts', 'src/common/features/fair-attack/fair-attack.ts'],
    dated: '2026-08-22',
    seen: SEEN,
    what: 'Matches https://*.torn.com/page.php?sid=attack*; reads the target from the user2ID search parameter. Commit 0556bf66 (2026-04-28) "cleanup last references to the old loader.php page".',
  },
  warHelper: {
    repo: 'MWTBDLTR/torn-scripts',
    at: 'd45fa5f0b05a2320f4fe91820f5d860066d5585b',
    paths: ['warhelper.js (TORN War Helper 20260705)', 'torn_attack_helper.js'],
    dated: '2026-08-16',
    seen: SEEN,
    what: '@match page.php?sid=attack*, loader2.php?sid=attack* and loader.php?sid=attack* side by side; a war row it makes two lines gets `height: auto !important; min-height: 32px` (Torn fixes the row height).',
  },
  ffScouterMarkup: {
    repo: 'xentac/FFScouter',
    at: '73efef6d49c9b2c05329c19420a0d4bb8b547437',
    paths: ['src/features/faction/__fixtures__/torn-markup/2026-06-22/war-row-idle.html', 'war-row-offline.html', 'war-row-online.html'],
    dated: '2026-06-22',
    seen: SEEN,
    what: 'Ranked-war rows captured from torn.com: li.enemy > div.member (profile link /profiles.php?XID=<id> in honorWrap___), div.level, div.points, div.status, div.attack > a[href="/page.php?sid=attack&user2ID=<id>"], div.clear.',
  },
  ffScouterCss: {
    repo: 'xentac/FFScouter',
    at: '73efef6d49c9b2c05329c19420a0d4bb8b547437',
    paths: ['src/ui/styles.css', 'src/utils/types.ts'],
    dated: '2026-07-05',
    seen: SEEN,
    what: 'A cell added to a war row is 20px tall with 7px above and below (a 34px row); a script that adds a line to a row grows it the public way: `padding-bottom: 22px !important; position: relative` on the li and the added line absolutely placed at its bottom. Flight methods PI | Airline | WLT | BCT.',
  },
  tornPda: {
    repo: 'Manuito83/torn-pda',
    at: 'efaa8f1eced28a675045f549664d13eb53399d4c',
    paths: ['lib/utils/country_check.dart', 'lib/drawer.dart', 'lib/providers/webview_provider.dart'],
    dated: '2026-05-24',
    seen: SEEN,
    what: '"Traveling to X" (old API) and "Traveling from X to Y" (new API); the eleven hospital-abroad adjectives; attack links to page.php?sid=attack&user2ID=<id>; loader.php, loader2.php and page.php attack URLs treated as the same page.',
  },
  yata: {
    repo: 'Kivou-2000607/yata',
    at: '6005bfbc668466723ba8351d6d00867bbc399099',
    paths: ['player/templatetags/app_filters.py (clean_travel_status)'],
    dated: '2026-07-07',
    seen: SEEN,
    what: 'Strips a leading "Returning to Torn" or "Traveling" from a status: the old wording, still handled.',
  },
  // Files of the stored public GitHub index (`find_string` answers) whose repository the index does not
  // name; cited by the index's file id so the text can be read again with `read_file`.
  indexReturnLeg: {
    repo: 'public GitHub file, stored-index id 61432252560 (a faction tool, Python)',
    at: 'index',
    paths: ['_parse_travel_country docstring'],
    dated: '2026',
    seen: SEEN,
    what: '"Traveling from Torn to Mexico" and "Traveling from Mexico to Torn" (the return leg), beside the older "Traveling to X".',
  },
  indexUaeLightAircraft: {
    repo: 'public GitHub file, stored-index id 69459884703 (a war tracker test, TypeScript)',
    at: 'index',
    paths: ['member fixture'],
    dated: '2026',
    seen: SEEN,
    what: 'A traveller reading "Traveling from United Arab Emirates to Torn" with plane_image_type "light_aircraft".',
  },
  indexAirlinerAmbiguous: {
    repo: 'public GitHub file, stored-index id 56681008855 (an enemy travel panel, TSX)',
    at: 'index',
    paths: ['EnemyTravelPanel'],
    dated: '2026',
    seen: SEEN,
    what: '"Torn reports both Standard and Business Class flights as airliner, so those estimates are shown as a range."',
  },
  indexSouthAfricaAirliner: {
    repo: 'public GitHub file, stored-index id 68348097048 (a war bot test, Python)',
    at: 'index',
    paths: ['FLYING_FAR'],
    dated: '2026-09-26',
    seen: SEEN,
    what: '{"state": "Traveling", "description": "Traveling from Torn to South Africa", "plane_image_type": "airliner"}.',
  },
  indexHospitalAbroadTrailing: {
    repo: 'public GitHub file, stored-index ids 71170545932 and 71329988659 (a war script test)',
    at: 'index',
    paths: ['hospital-abroad descriptions'],
    dated: '2026',
    seen: SEEN,
    what: '"In a Canadian hospital for 4 mins ", "In an Emirati hospital for 14 mins ", "In a Mexican hospital for 2 hrs 24 mins ", "In a Swiss hospital for 1 hrs 55 mins ", "In a Hawaiian hospital for 1 hrs 59 mins" (Torn writes "1 hrs", and often a trailing space).',
  },
  indexV1Roster: {
    repo: 'public GitHub files, stored-index ids 10012321410, 30598621240, 46372153453, 22453569431 (recorded v1 answers)',
    at: 'index',
    paths: ['faction basic / profile answers'],
    dated: '2025',
    seen: SEEN,
    what: '"In hospital for 1 hrs 3 mins " (v1 faction basic, until set), "In hospital for 1 mins ", "In jail for 2 hrs 5 mins ", "Returning to Torn from United Kingdom" with until 0.',
  },
  indexHospitalCountdown: {
    repo: 'public GitHub files, stored-index ids 40671355389 and 40689981365 (a war-list sorter, JavaScript)',
    at: 'index',
    paths: ['getTimeInSecs example inputs'],
    dated: '2024',
    seen: SEEN,
    what: '"In hospital for 2 secs", "In hospital for 11 mins", "In hospital for 2 hrs 46 mins": seconds under a minute.',
  },
} as const satisfies Record<string, Source>;

export type SourceId = keyof typeof SOURCES;
