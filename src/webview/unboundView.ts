/**
 * A cost over data with no data anywhere: its partials over m symbolic
 * samples as the hover writes them, one sample's term (what the Backprop view
 * runs once there are numbers) and one line saying how to bind data, with the
 * button that offers the candidates. There is no descent to animate.
 */
import { texName } from '../core/notation';
import type { FromWebviewMessage, UnboundView } from '../protocol';
import { el } from './dom';
import { tex } from './functionView';

export class UnboundPanel {
  readonly element = el('section', { attrs: { id: 'unbound-view', hidden: '' } });

  constructor(private readonly post: (m: FromWebviewMessage) => void) {}

  show(v: UnboundView): void {
    const f = v.name ?? 'f';
    const fName = texName(f, { upright: true });
    const formula = el('div', { className: 'tex', attrs: { id: 'unbound-formula' } });
    tex(formula, `${fName}(${v.params.map((p) => texName(p)).join(', ')}) = ${v.expressionTex}`, `${v.title} = ${v.expressionText}`);
    const partials = (id: string, of: string, ofTex: string, gradientTex: Record<string, string>, gradientText: Record<string, string>): HTMLElement =>
      el('div', { className: 'partials', attrs: { id } }, v.params.map((p) => {
        const d = el('div', { className: 'tex' });
        const g = gradientTex[p];
        if (g) tex(d, `\\frac{\\partial ${ofTex}}{\\partial ${texName(p)}} = ${g}`, `∂${of}/∂${p} = ${gradientText[p] ?? ''}`, `partial derivative of ${of} with respect to ${p}: ${gradientText[p] ?? ''}`);
        else d.textContent = `∂${of}/∂${p}: not computed symbolically`;
        return d;
      }));
    const bind = el('button', { text: 'Bind data…', title: 'Choose the arrays of the code or the columns of a data file to bind, argument by argument', attrs: { id: 'bind-data', type: 'button' } });
    bind.addEventListener('click', () => this.post({ type: 'chooseData' }));
    const term: HTMLElement[] = [el('h2', { attrs: { id: 'unbound-term-heading' }, text: `Backprop: one sample's term of ${f}` })];
    if (v.term) {
      const t = el('div', { className: 'tex', attrs: { id: 'unbound-term' } });
      tex(t, `${fName}_{i} = ${v.term.tex}`, `${f}ᵢ = ${v.term.text}`);
      term.push(t, partials('unbound-term-partials', `${f}ᵢ`, `${fName}_{i}`, v.term.gradientTex, v.term.gradientText));
    }
    term.push(el('p', { className: 'note', attrs: { id: 'unbound-term-note' }, text: v.termNote }));
    this.element.replaceChildren(
      el('header', { className: 'formula' }, [el('h1', { text: `${v.title} over m samples — ${v.file}` }), formula, partials('unbound-partials', f, fName, v.gradientTex, v.gradientText)]),
      el('p', { className: 'bind-line', attrs: { id: 'bind-line' } }, [el('span', { text: `${capital(v.message)}. ` }), bind]),
      el('section', { className: 'unbound-term', attrs: { 'aria-labelledby': 'unbound-term-heading' } }, term),
    );
    this.element.hidden = false;
  }

  hide(): void {
    this.element.hidden = true;
  }
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
