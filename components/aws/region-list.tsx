import { Fragment } from "react";

/**
 * Regions as "eu-west-1, us-east-1": a narrow cell wraps between regions, never inside one at
 * its hyphens ("us-" then "east-1").
 */
export function RegionList({ regions, empty }: { regions: string[]; empty?: string }) {
  if (!regions.length) return <>{empty}</>;
  return regions.map((region, i) => (
    <Fragment key={region}>
      {i > 0 ? ", " : null}
      <span className="whitespace-nowrap">{region}</span>
    </Fragment>
  ));
}
