// Stylesheets are imported from main.tsx for their side effect only: Vite bundles them into one CSS file.
declare module '*.css';
