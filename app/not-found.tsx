import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto max-w-lg p-10 text-center">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="mt-2 text-sm text-muted-foreground">There is nothing at this address.</p>
      <Link href="/" className="mt-4 inline-block text-primary underline">
        Back to the overview
      </Link>
    </main>
  );
}
