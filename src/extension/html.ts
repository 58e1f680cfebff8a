import * as vscode from 'vscode';

/** A fresh random nonce for the one script the panel may run. */
export function nonce(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < 32; i++) s += chars[Math.floor(Math.random() * chars.length)];
  return s;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/**
 * Keeps the messages that arrive before the panel's script runs (dist/webview.js, main.ts takes them):
 * the host sends its view without waiting for the page to say it is ready, so the view travels while
 * the page loads. VS Code hands a new page its queued messages when the page has loaded, or after
 * 200 ms if it has not, which can be before a large script has run.
 */
const EARLY_MESSAGES = "window.glEarly=[];addEventListener('message',function k(e){if(window.glEarly)window.glEarly.push(e);else removeEventListener('message',k)});";

/**
 * The panel's page: no inline style, scripts only by nonce (one inline, EARLY_MESSAGES), styles
 * and fonts only from the extension's own files. The title is the only user
 * text here, escaped; everything else arrives as data through the protocol.
 */
export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  const n = nonce();
  const uri = (...p: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p)).toString();
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${n}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${uri('dist', 'katex', 'katex.min.css')}">
<link rel="stylesheet" href="${uri('media', 'panel.css')}">
<title>${escapeHtml(title)}</title>
<script nonce="${n}">${EARLY_MESSAGES}</script>
</head>
<body>
<main id="app" aria-live="polite"><p class="loading">Loading Gradient Lens…</p></main>
<script nonce="${n}" src="${uri('dist', 'webview.js')}"></script>
</body>
</html>`;
}
