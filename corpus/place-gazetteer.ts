import { areaList } from '@vant/area-data';
import type { Corpus } from './corpus-library.ts';
import type { Region } from './document.ts';

/** A place found in text, placed in its province and city (GB/T 2260 via @vant/area-data). */
export interface PlaceMention extends Region {
  /** A park or zone named with the place ("清远高新区"), when there is one. */
  park: string | null;
  /** The words as found. */
  text: string;
}

interface Entry {
  name: string;
  province: string;
  city: string | null;
  district: string | null;
}

// Suffixes dropped to get the form people say: 清远市 → 清远, 连山壮族瑶族自治县 → 连山, 清新区 → 清新.
const shortForm = (name: string) =>
  name.replace(
    /(维吾尔|壮族|回族|藏族|苗族|瑶族|彝族|哈尼族|傣族|拉祜族|佤族|土家族|侗族|布依族|蒙古族|朝鲜族|满族|黎族|畲族|白族|纳西族|傈僳族|羌族|仡佬族|水族|各族)*(自治州|自治县|自治区|特别行政区|地区|盟|省|市|区|县|旗)$/,
    '',
  );

let entries: Entry[] | undefined;

function gazetteer(): Entry[] {
  if (entries) return entries;
  const { province_list: provinces, city_list: cities, county_list: counties } = areaList;
  const list: Entry[] = [];
  for (const name of Object.values(provinces)) list.push({ name, province: name, city: null, district: null });
  for (const [code, name] of Object.entries(cities)) {
    const province = provinces[`${code.slice(0, 2)}0000`] ?? name;
    list.push({ name, province, city: name, district: null });
  }
  for (const [code, name] of Object.entries(counties)) {
    const province = provinces[`${code.slice(0, 2)}0000`] ?? '';
    // Municipalities list their districts under a city code of their own name.
    const city = cities[`${code.slice(0, 4)}00`] ?? province;
    // Zones listed as counties ("高新区", "经济技术开发区") are names of a kind, not of a place; a named 新区 (清新区,
    // 浦东新区) is a place.
    if (name === '市辖区' || /开发区|高新区|园区|管委会|管理区/.test(name)) continue;
    list.push({ name, province, city, district: name });
  }
  entries = list;
  return list;
}

/**
 * Every place named in `text`, most specific first: "清远清城区" → 清城区 (广东省清远市); "乐清" → 乐清市 (浙江省温州市).
 * Short county forms (清城, 乐清) are read only for counties of `knownCities` (the cities the corpus covers), so
 * common two-character words elsewhere in the country are not taken for places.
 */
export function placesIn(text: string, knownCities: string[] = []): PlaceMention[] {
  const known = new Set(knownCities.map(shortForm));
  const found: PlaceMention[] = [];
  const taken: [number, number][] = [];
  for (const { entry, form } of candidatesFor(known)) {
    let index = text.indexOf(form);
    while (index >= 0) {
      const end = index + form.length;
      if (!taken.some(([start, stop]) => index < stop && end > start)) {
        taken.push([index, end]);
        const park =
          /^[\u4e00-\u9fff]{0,6}?(高新区|高新技术产业开发区|经济开发区|开发区|产业园|工业园区|工业园|经济合作区|合作区|产业转移工业园)/.exec(
            text.slice(end),
          )?.[0] ?? null;
        found.push({ province: entry.province, city: entry.city, district: entry.district, park: park ? `${form}${park}` : null, text: form });
      }
      index = text.indexOf(form, end);
    }
  }
  const inKnown = (place: PlaceMention) => Number(place.city !== null && known.has(shortForm(place.city)));
  return found.sort(
    (a, b) => inKnown(b) - inKnown(a) || Number(b.district !== null) - Number(a.district !== null) || Number(b.city !== null) - Number(a.city !== null),
  );
}

/**
 * Every form a place may be written in, longest first, for one set of covered cities: built once per set (the
 * gazetteer holds some 3 500 places; the retriever reads the places of every question).
 */
const candidateLists = new Map<string, { entry: Entry; form: string }[]>();
function candidatesFor(known: Set<string>): { entry: Entry; form: string }[] {
  const key = [...known].sort().join('、');
  const cached = candidateLists.get(key);
  if (cached) return cached;
  const candidates: { entry: Entry; form: string }[] = [];
  for (const entry of gazetteer()) {
    candidates.push({ entry, form: entry.name });
    const short = shortForm(entry.name);
    const isCounty = entry.district !== null;
    if (short.length >= 2 && short !== entry.name && (!isCounty || (entry.city && known.has(shortForm(entry.city))))) {
      candidates.push({ entry, form: short });
    }
  }
  candidates.sort((a, b) => b.form.length - a.form.length || Number(b.entry.district !== null) - Number(a.entry.district !== null));
  // Few distinct sets are asked for (the corpus's cities, an enterprise profile's); a bound keeps a stray caller cheap.
  if (candidateLists.size >= 16) candidateLists.clear();
  candidateLists.set(key, candidates);
  return candidates;
}

/** The cities the corpus's documents are for: short county names there are read as places. */
export function corpusCities(corpus: Corpus): string[] {
  return [...new Set(corpus.documents.map((document) => document.region.city).filter((city): city is string => Boolean(city)))];
}

/** Every form `placesIn` reads as a place, for looking a word up rather than scanning a text. */
export function placeForms(knownCities: string[] = []): Set<string> {
  return new Set(candidatesFor(new Set(knownCities.map(shortForm))).map(({ form }) => form));
}

/** The short form of a place name, for comparing "清远市" with "清远". */
export function placeKey(name: string | null): string | null {
  return name ? shortForm(name) : null;
}
