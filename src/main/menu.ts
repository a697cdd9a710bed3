/** The application menu: the standard roles, zoom for projectors, devtools only in development. */
import { Menu, type MenuItemConstructorOptions } from 'electron';

export function buildMenu(development: boolean): Menu {
  const view: MenuItemConstructorOptions[] = [
    { role: 'resetZoom', label: 'Actual size' },
    { role: 'zoomIn', label: 'Zoom in (projector)' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  if (development) view.push({ type: 'separator' }, { role: 'toggleDevTools' });
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}
