import { passingPercent, type ControlShare } from "@/lib/verdict/compliance-shares";

/** "87% of 72 keys pass", with the excepted ones named; "no keys" when the control applies to none. */
export function ShareText({ share }: { share: ControlShare }) {
  const percent = passingPercent(share);
  if (percent === null) return <span className="text-muted-foreground">no keys</span>;
  return (
    <span data-testid="share">
      <span className="font-medium tabular-nums">{percent}%</span> of {share.applicable} key
      {share.applicable === 1 ? "" : "s"} pass
      {share.excepted > 0 && (
        <span className="block text-xs text-muted-foreground">
          {share.excepted} of them under an exception
        </span>
      )}
    </span>
  );
}
