// Tailwind 4 is CSS-first: the theme lives in app/globals.css, no tailwind.config.
const config = {
  plugins: {
    '@tailwindcss/postcss': {},
  },
};

export default config;
