/** Where a member goes to look at or attack a target on torn.com. */
export function targetLinks(playerId: number): { profile: string; attack: string } {
  return {
    profile: `https://www.torn.com/profiles.php?XID=${playerId}`,
    attack: `https://www.torn.com/loader.php?sid=attack&user2ID=${playerId}`,
  };
}
