/** Applies the hardening settings of hardening.ts to Electron's session and web contents. */
import { app, session, shell } from 'electron';
import { allowNavigation, allowPermission, isAllowedRequest } from './hardening';

export function hardenSession(devServer: string | null): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, permission, callback) => callback(allowPermission(permission)));
  ses.setPermissionCheckHandler((_contents, permission) => allowPermission(permission));
  ses.setDevicePermissionHandler(() => false);
  // Offline by design: nothing leaves the app, whatever a page or a program asks for.
  ses.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRequest(details.url, devServer) });
  });
}

export function hardenWebContents(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      // Links to the web (from lesson text, say) open in the learner's browser, never in the app.
      if (/^https:\/\//.test(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
    contents.on('will-navigate', (event, url) => {
      if (!allowNavigation(contents.getURL(), url)) event.preventDefault();
    });
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}
