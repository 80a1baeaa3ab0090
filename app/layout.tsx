import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "KMS Insights", template: "%s · KMS Insights" },
  description: "Which AWS KMS keys are not rotated, why, and which compliance controls that touches.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen antialiased">{children}</body>
    </html>
  );
}
