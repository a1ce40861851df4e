import { z } from "zod";

const actingAppSchema = z.object({
  performed_via_github_app: z
    .object({ slug: z.string().nullish(), name: z.string().nullish(), id: z.number().nullish() })
    .nullish(),
});

/**
 * The GitHub App that wrote a comment or review on a person's behalf (a user-to-server token),
 * as GitHub names it in `performed_via_github_app`; undefined when the person wrote it. Such a
 * text is the app's, not the person's: apps never decide approvals.
 * https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/authenticating-with-a-github-app-on-behalf-of-a-user
 */
export function actingApp(item: unknown): string | undefined {
  const parsed = actingAppSchema.safeParse(item);
  // An answer not understood is treated as an app's: refusing is the safe reading.
  if (!parsed.success) return "an unknown app";
  const app = parsed.data.performed_via_github_app;
  if (!app) return undefined;
  return app.slug ?? app.name ?? (app.id ? `app ${app.id}` : "an unknown app");
}
