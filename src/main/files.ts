/** Opening and saving program files from the desktop app, through the system's dialogs. */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { type BrowserWindow, dialog } from 'electron';
import type { OpenedFile, SaveRequest } from '../shared/ipc';
import { MAX_SOURCE_CHARS } from '../shared/ipc';
import { decodeSource } from '../runtime/source';

export async function openProgramFile(window: BrowserWindow): Promise<OpenedFile | null> {
  const result = await dialog.showOpenDialog(window, {
    title: 'Open a Python program',
    properties: ['openFile'],
    filters: [
      { name: 'Python programs', extensions: ['py'] },
      { name: 'All files', extensions: ['*'] },
    ],
  });
  const path = result.filePaths[0];
  if (result.canceled || !path) return null;
  const name = basename(path);
  try {
    const info = await stat(path);
    // Only a regular file: a device or a pipe could be endless, or block the read forever.
    if (!info.isFile()) return { name, text: null, error: `${name} is not a regular file.` };
    if (info.size > MAX_SOURCE_CHARS) return { name, text: null, error: `${name} is larger than 2 MB.` };
    const decoded = decodeSource(await readFile(path), name);
    return decoded.ok ? { name, text: decoded.text, error: null } : { name, text: null, error: decoded.message };
  } catch (error) {
    return { name, text: null, error: `${name} could not be read: ${(error as Error).message}` };
  }
}

export async function saveProgramFile(window: BrowserWindow, request: SaveRequest): Promise<string | null> {
  const result = await dialog.showSaveDialog(window, {
    title: 'Save the program',
    defaultPath: request.suggestedName,
    filters: [{ name: 'Python programs', extensions: ['py'] }],
  });
  if (result.canceled || !result.filePath) return null;
  await writeFile(result.filePath, request.text, 'utf8');
  return basename(result.filePath);
}
