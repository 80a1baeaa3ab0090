import Link from "next/link";

/** The top of every console page: its one h1, what the page shows, and the page's own actions. */
export function PageHeader({
  title,
  description,
  actions,
  back,
  children,
}: {
  title: React.ReactNode;
  description?: React.ReactNode;
  /** Buttons or links that act on the whole page, on the right. */
  actions?: React.ReactNode;
  /** The page this one is opened from, linked above the title. */
  back?: { href: string; label: string };
  /** More about the page, under the description. */
  children?: React.ReactNode;
}) {
  return (
    <header className="flex flex-wrap items-start justify-between gap-4">
      <div className="min-w-0 max-w-3xl">
        {back && (
          <Link
            href={back.href}
            className="mb-2 inline-block text-sm text-primary underline-offset-4 hover:underline"
          >
            {back.label}
          </Link>
        )}
        <h1 className="text-2xl font-semibold break-words">{title}</h1>
        {description && <p className="mt-1 text-sm text-muted-foreground">{description}</p>}
        {children && <div className="mt-2 space-y-2 text-sm">{children}</div>}
      </div>
      {actions && <div className="max-w-full">{actions}</div>}
    </header>
  );
}
