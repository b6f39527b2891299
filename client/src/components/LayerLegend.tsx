/** A layer's legend, drawn with the same symbol functions as the map. */
import { useMemo } from 'react';
import { legendFor, type LegendSymbol } from '../map/legend';
import { legendFillUrl, legendPointUrl } from '../map/symbols';
import { useT } from '../i18n/i18n';
import { label } from '../lib/format';

function Swatch({ symbol }: { symbol: LegendSymbol }) {
  const src = useMemo(() => (symbol.type === 'point' ? legendPointUrl(symbol.symbol) : symbol.type === 'fill' ? legendFillUrl(symbol.symbol) : null), [symbol]);
  if (symbol.type === 'line') {
    const { color, width, dash } = symbol.symbol;
    return (
      <svg className="swatch" width="28" height="16" aria-hidden="true">
        <line x1="2" y1="8" x2="26" y2="8" stroke={color} strokeWidth={Math.min(width, 6)} strokeDasharray={dash ? dash.map((d) => d * width).join(' ') : undefined} strokeLinecap="butt" />
      </svg>
    );
  }
  return <img className="swatch" src={src!} width={symbol.type === 'point' ? 20 : 22} height={symbol.type === 'point' ? 20 : 22} alt="" />;
}

export function LayerLegend({ collection }: { collection: string }) {
  const { t, lang } = useT();
  const legend = legendFor(collection);
  return (
    <div className="legend" data-testid={`legend-${collection}`}>
      {legend.groups.map((g, i) => (
        <div key={i} className="legend-group">
          {g.heading && <div className="legend-heading">{t(g.heading.key, { property: label(g.heading.property, lang) })}</div>}
          <ul>
            {g.items.map((item) => (
              <li key={item.label.en}>
                <Swatch symbol={item.symbol} />
                <span>{label(item.label, lang)}</span>
              </li>
            ))}
          </ul>
        </div>
      ))}
      {legend.notes.map((n) => (
        <p key={n.key} className="legend-note">{t(n.key, { property: label(n.property, lang), value: label(n.value, lang) })}</p>
      ))}
    </div>
  );
}
