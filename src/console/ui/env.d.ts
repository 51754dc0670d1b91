// Vite bundles imported stylesheets into the page.
declare module '*.css';
