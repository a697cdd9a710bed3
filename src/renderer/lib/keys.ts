/**
 * The player's keys: Space play/pause, ←/→ step, Shift+←/→ previous/next task switch,
 * Home/End, Enter for the guided tour's Continue, P for Present and Esc to leave it. They stay
 * out of the way of typing: not in the code editor, a text field or a select, and Space and
 * Enter still press a focused button.
 */
import type { Player } from '../state/player.svelte';

export interface KeyOptions {
  /** Enter, when no control has the focus (the tour's Continue). */
  onEnter?: () => void;
  /** Space, in place of the player's own play / pause. */
  onToggle?: () => void;
  /** P: Present mode on or off. */
  onPresent?: () => void;
  /** Esc (nothing else took it): leave Present mode. */
  onEscape?: () => void;
}

export function handleKey(event: KeyboardEvent, player: Player, options: KeyOptions = {}): void {
  if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
  // Esc leaves Present mode from anywhere, the code editor included.
  if (event.key === 'Escape' && options.onEscape) {
    options.onEscape();
    event.preventDefault();
    return;
  }
  // The real target, inside the editor's shadow root if it is there (composedPath reaches in).
  const first = event.composedPath?.()[0];
  const target = first instanceof Element ? first : event.target instanceof Element ? event.target : null;
  if (target?.closest('.cm-editor, textarea, select, [contenteditable="true"], input:not([type="range"]), input:not([type])')) return;
  const onControl = target?.closest('button, a[href], summary, input[type="checkbox"]') !== null && target !== null;
  switch (event.key) {
    case ' ':
      if (onControl) return; // the focused control's own Space
      if (options.onToggle) options.onToggle();
      else player.toggle();
      break;
    case 'ArrowRight':
      if (event.shiftKey) player.nextSwitch();
      else player.stepForward();
      break;
    case 'ArrowLeft':
      if (event.shiftKey) player.previousSwitch();
      else player.stepBack();
      break;
    case 'Enter':
      if (onControl || !options.onEnter || event.shiftKey) return;
      options.onEnter();
      break;
    case 'Home':
      player.restart();
      break;
    case 'End':
      player.toEnd();
      break;
    case 'p':
    case 'P':
      if (!options.onPresent || event.shiftKey) return;
      options.onPresent();
      break;

    default:
      return;
  }
  event.preventDefault();
}
