// The plan: the one JSON value the Node side hands a k6 script (GAUNTLET_PLAN). Each scenario's
// plan type extends this; the k6 side imports these types only, so nothing from Node reaches k6's
// VM. Ground floor: the scripts, the plugins and core all read it.

/** The fields every plan carries. */
export interface K6Plan {
  scenario: string;
  runId: string;
  targetUrl: string;
}

/** The addresses a plan needs: where k6 sends decisions (and, for the crash, whose replay it starts). */
export interface PlanTarget {
  baseUrl: string;
  venueAdminUrl?: string;
}

/** Everything a plan is built from. Pure input: the bundler builds a script's standalone defaults from it too. */
export interface PlanInput<C> {
  runId: string;
  profile: string;
  config: C;
  target: PlanTarget;
}
