"use client";

export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="mx-auto max-w-lg p-10 text-center">
      <h1 className="text-2xl font-semibold">Something went wrong</h1>
      <p className="mt-2 text-sm text-muted-foreground">
        The page could not be shown. The error has been logged on the server; nothing was changed.
      </p>
      <button onClick={reset} className="mt-4 text-primary underline">
        Try again
      </button>
    </main>
  );
}
