/** Applies the hardening settings of hardening.ts to Electron's sessions and web contents. */
import { app, type BrowserWindow, dialog, session, type Session, shell } from 'electron';
import { allowNavigation, allowPermission, isAllowedRequest, isExternalLink } from './hardening';

/** Hardens a session: the learner's window's (the default) or the runtime window's. */
export function hardenSession(devServer: string | null, ses: Session = session.defaultSession): void {
  ses.setPermissionRequestHandler((_contents, permission, callback) => callback(allowPermission(permission)));
  ses.setPermissionCheckHandler((_contents, permission) => allowPermission(permission));
  ses.setDevicePermissionHandler(() => false);
  // Offline by design: nothing leaves the app, whatever a page or a program asks for.
  ses.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRequest(details.url, devServer) });
  });
}

/**
 * `learnerWindow` is the only window whose links may open outside: a link the learner clicked
 * in a lesson's text, to an http(s) address, after they say yes to opening it in their browser.
 */
export function hardenWebContents(learnerWindow: () => BrowserWindow | null): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      const window = learnerWindow();
      if (window && !window.isDestroyed() && contents.id === window.webContents.id && isExternalLink(url)) {
        void confirmExternal(window, url);
      }
      return { action: 'deny' };
    });
    contents.on('will-navigate', (event, url) => {
      if (!allowNavigation(contents.getURL(), url)) event.preventDefault();
    });
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

async function confirmExternal(window: BrowserWindow, url: string): Promise<void> {
  const { response } = await dialog.showMessageBox(window, {
    type: 'question',
    buttons: ['Open in browser', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    message: 'Open this link in your web browser?',
    detail: url,
  });
  if (response === 0) await shell.openExternal(url);
}
