/**
 * Search for a road code or name, village, plot code or road stake; the map flies there. A stake
 * ("S225 K3+200") is located by the server (GET /api/roads/locate, linear referencing in PostGIS);
 * the road's length known here only keeps stakes beyond its end from being asked for.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useAllItems } from '../api/queries';
import { api } from '../api/http';
import { search, type SearchResult } from '../lib/search';
import { useMapController } from '../map/MapContext';
import { useUiStore } from '../state/stores';
import { useT } from '../i18n/i18n';
import { formatDistance } from '../lib/format';

export function SearchBox() {
  const { t, lang } = useT();
  const map = useMapController();
  const select = useUiStore((s) => s.select);
  const [query, setQuery] = useState('');
  const [focused, setFocused] = useState(false);
  const [active, setActive] = useState(0);
  const [wanted, setWanted] = useState(false);
  // The list closes a moment after the input loses focus (so a click on an option lands first);
  // typing or focusing again cancels that pending close, or it would hide the list just opened.
  const closeTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const cancelClose = () => clearTimeout(closeTimer.current);
  useEffect(() => cancelClose, []);
  const roads = useAllItems('roads', wanted);
  const villages = useAllItems('villages', wanted);
  const plots = useAllItems('afforestation_plots', wanted);
  const loading = wanted && (roads.isPending || villages.isPending || plots.isPending);
  const results = useMemo(
    () => search(query, { roads: roads.data?.features ?? [], villages: villages.data?.features ?? [], afforestation_plots: plots.data?.features ?? [] }),
    [query, roads.data, villages.data, plots.data],
  );

  const [stakeError, setStakeError] = useState<string | null>(null);
  const go = (r: SearchResult) => {
    if (!map) return;
    if (r.kind === 'stake') {
      if (!r.point) return;
      const text = `${r.code} ${r.stake}`;
      setQuery(text);
      setStakeError(null);
      api<{ lon: number; lat: number }>(`/api/roads/locate?q=${encodeURIComponent(text)}`).then(
        (at) => {
          map.flyTo([at.lon, at.lat], 16);
          map.setSelection({ type: 'Feature', geometry: { type: 'Point', coordinates: [at.lon, at.lat] }, properties: {} });
        },
        (e: Error) => setStakeError(e.message),
      );
    } else {
      map.fitBounds(r.bbox, r.collection === 'villages' ? 15 : 17);
      select({ collection: r.collection, id: r.id });
      setQuery(r.title);
    }
    setFocused(false);
  };

  const open = focused && query.trim().length > 0;
  return (
    <div className="search" role="search">
      <label htmlFor="search-input" className="visually-hidden">{t('search.label')}</label>
      <input
        id="search-input"
        type="search"
        value={query}
        placeholder={t('search.placeholder')}
        autoComplete="off"
        role="combobox"
        aria-expanded={open}
        aria-controls="search-results"
        aria-activedescendant={open && results[active] ? `search-result-${active}` : undefined}
        onFocus={() => {
          cancelClose();
          setFocused(true);
          setWanted(true);
        }}
        onBlur={() => {
          cancelClose();
          closeTimer.current = setTimeout(() => setFocused(false), 150);
        }}
        onChange={(e) => {
          cancelClose();
          setQuery(e.target.value);
          setStakeError(null);
          setActive(0);
          setFocused(true);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, results.length - 1));
          else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
          else if (e.key === 'Enter' && results[active]) go(results[active]);
          else if (e.key === 'Escape') setFocused(false);
          else return;
          e.preventDefault();
        }}
        data-testid="search-input"
      />
      {stakeError && <p className="search-error" role="alert">{t('search.stakeFailed', { message: stakeError })}</p>}
      {open && (
        <ul id="search-results" className="search-results" role="listbox" data-testid="search-results">
          {loading && <li className="hint">{t('search.loading')}</li>}
          {!loading && results.length === 0 && <li className="hint">{t('search.none', { query })}</li>}
          {results.map((r, i) => (
            <li
              key={r.kind === 'stake' ? `stake-${r.roadId}` : `${r.collection}-${r.id}`}
              id={`search-result-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : ''}
              onMouseDown={(e) => {
                e.preventDefault();
                go(r);
              }}
            >
              {r.kind === 'stake' ? (
                <>
                  <span className="tag">{t('search.kind.stake')}</span>
                  <strong>{r.code} {r.stake}</strong>
                  {!r.point && <span className="hint"> {t('search.stakeBeyond', { code: r.code, length: formatDistance(r.length_m, lang), stake: r.stake })}</span>}
                </>
              ) : (
                <>
                  <span className="tag">{t(`search.kind.${r.collection}` as 'search.kind.roads')}</span>
                  <strong>{r.title}</strong>
                  {r.subtitle && <span className="hint"> {r.subtitle}</span>}
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
