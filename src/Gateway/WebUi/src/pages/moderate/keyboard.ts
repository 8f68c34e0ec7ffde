import type { Actions } from "./actions";
import type { Queue } from "./queue";
import type { ModerateState } from "./state";

/**
 * The console's shortcuts, outside form fields and the side panel: j/k or arrows move, x selects,
 * n claims the next, c/a/r/m/t act on the targets, p/h toggle pin and highlight, s sanctions, Esc clears.
 */
export function mountShortcuts(state: ModerateState, queue: Queue, actions: Actions): void {
  const { command, targets } = actions;
  document.addEventListener("keydown", (e) => {
    const target = e.target as HTMLElement;
    if (e.ctrlKey || e.metaKey || e.altKey || target.closest("input, textarea, select, #panel")) return;
    const current = state.currentId ? state.store.items.get(state.currentId) : undefined;
    const handled = (() => {
      switch (e.key) {
        case "j":
        case "ArrowDown":
          queue.move(1);
          return true;
        case "k":
        case "ArrowUp":
          queue.move(-1);
          return true;
        case "x":
          if (current) queue.toggleSelect(current.id);
          return true;
        case "n":
          void actions.next();
          return true;
        case "c":
          void command("claim", targets());
          return true;
        case "a":
          void command("approve", targets());
          return true;
        case "r":
          void command("reject", targets());
          return true;
        case "m":
          void command("merge", targets());
          return true;
        case "t":
          void command("tag", targets());
          return true;
        case "p":
          if (current) void command(current.pinned ? "unpin" : "pin", targets());
          return true;
        case "h":
          if (current) void command(current.highlighted ? "unhighlight" : "highlight", targets());
          return true;
        case "s":
          if (current) actions.openSanction(current);
          return true;
        case "Escape":
          state.selected.clear();
          queue.render();
          return true;
        default:
          return false;
      }
    })();
    if (handled) e.preventDefault();
  });
}
