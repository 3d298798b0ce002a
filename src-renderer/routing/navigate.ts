/**
 * Moving between the kiosk wizard and the staff tools. Web mode has real paths, so a full
 * page load does it (and forgets everything the page held). Electron shows index.html from
 * file://, where only the hash can change: App listens for hashchange and swaps the tree.
 */
export function openStaffTools(): void {
  if (window.location.protocol === 'file:') window.location.hash = '#/staff';
  else window.location.assign('/staff');
}

export function openKiosk(): void {
  if (window.location.protocol === 'file:') window.location.hash = '#/';
  else window.location.assign('/');
}
