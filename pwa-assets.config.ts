/**
 * The app's icons, made from one drawing (src/renderer/public/icon.svg) by
 * @vite-pwa/assets-generator: `npm run icons` writes the PNGs and favicon beside it, which are
 * committed. The web app's manifest and the desktop installers (electron-builder.ts) use them.
 */
import { defineConfig, minimal2023Preset } from '@vite-pwa/assets-generator/config';

/** The icon's background colour (the app's light-theme accent). */
const ICON_BACKGROUND = '#0a58ca';

export default defineConfig({
  headLinkOptions: { preset: '2023' },
  // As the 2023 minimal preset, with the icon's own blue behind the maskable and Apple icons
  // (the launcher crops them to its own shape), instead of white.
  preset: {
    ...minimal2023Preset,
    maskable: { ...minimal2023Preset.maskable, resizeOptions: { background: ICON_BACKGROUND } },
    apple: { ...minimal2023Preset.apple, resizeOptions: { background: ICON_BACKGROUND } },
  },
  images: ['src/renderer/public/icon.svg'],
});
