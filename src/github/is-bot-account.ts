/**
 * GitHub Apps act through users of type "Bot" whose login ends in "[bot]"; either sign is enough.
 * Bots never decide approvals and never count as a person's comment.
 */
export function isBotAccount(user: { login: string; type?: string | undefined }): boolean {
  return user.type === "Bot" || user.login.endsWith("[bot]");
}
