import placeData from '../corpus/places.json' with { type: 'json' };
import type { Corpus, PolicyDocument } from '../corpus/index.ts';
import { placeKey, placesIn } from '../corpus/measures.ts';
import { type AnalysedQuery, askingParts, namesItsPolicy } from './query-analysis.ts';

/**
 * A county's or district's own schemes asked ("县里自己出的", "区里还另外奖", "县级配套", "本地对…有没有配套补贴"). The
 * county's government told as who said or did something ("县里说有领导挂钩联系我们", "区里的人来过") asks for no scheme
 * of its own.
 */
const COUNTY_OWN =
  /(县|区)里(?!说|讲|告诉|通知|要求|安排|的人|来人|领导|干部)|(县|区)级(?!专精特新)|(县|区)一级|本(县|区)|本地对|配套(奖|补|资金|政策)|另外(奖|补|给)|额外(给|奖|补)|自己(出|有|的)(的)?(政策|补贴|奖励|奖|补)|不是市里/;

/**
 * How an asker says where its enterprise is: "厂在湛江", "公司开在深圳", "我在西双版纳景洪开的茶厂", "位于韶关" — as
 * decisive as where it is registered for whether a city's measure is its own.
 */
function locatedIn(text: string, place: string): boolean {
  return new RegExp(
    `(厂|公司|店|厂子|企业|工厂|项目|门店|总部)(开|设|建)?在${place}|在${place}[\\u4e00-\\u9fff]{0,4}?(开的|开了|办的|办了|注册的|开厂|开店|开公司|建厂)|位于${place}`,
  ).test(text);
}

/** How an asker says where its enterprise is registered: "注册在广州", "注册地是东莞", "执照在佛山". */
const REGISTERED = ['注册在', '注册地在', '注册地是', '注册地', '登记在', '执照在', '营业执照在', '注册于'];

/** The document is for the place, or names it in its title or issuer. */
export function mentionsPlace(document: PolicyDocument, place: string): boolean {
  return [document.region.province, document.region.city, document.region.district, document.title, document.issuer].some((name) => name?.includes(place));
}

/**
 * Which places the question names that the corpus does not cover, said as the refusal says them, and the places it
 * names as places asked about (less a county's city named only as where the county lies, and a province named as the
 * giver of its own schemes). Not covered:
 * - a place no document is for or names (东莞);
 * - a county or district of a covered city that the city's documents do not speak for — they are another county's own,
 *   as 乐清's are within 温州 ("温州瓯海区") — while a city's own documents cover all its counties (清远's cover 连州);
 * - a county's own schemes asked ("孟连县有没有县级配套奖励", "清新区自己有没有…不是市里的"): the county's documents;
 * - a city's own schemes, when its documents here are all one county's and none of its counties is named
 *   ("温州市本级…": 温州市级政策, where the corpus holds 乐清's);
 * - a province's or the state's own schemes asked without a covered city ("广东省对…有没有", "国家层面"), when no
 *   document is a province's ("广东省级政策", "国家层面政策").
 * A county the covered city's documents speak for, named with no place (清城区, 英德), makes that city the place asked.
 * `asked`: one of them is named in the parts that ask ("鹿城有没有类似的"), not only in the story (户口在湖南), or as
 * where the enterprise is registered or lies (注册在广州花都, 厂在温州瓯海区). `policyOf`: one of them is named as whose policy or document it
 * is (台州的若干措施, 肇庆有没有出…的意见).
 */
export function placeScope(query: AnalysedQuery, corpus: Corpus, cities: string[]): { foreign: string[]; places: string[]; asked: boolean; policyOf: boolean } {
  const foreign = query.places.filter((place) => !corpus.documents.some((document) => mentionsPlace(document, place)));
  // How each is named in the question, to find it in the asking parts: a county by its name without 区/县/市 (鹿城),
  // a province's schemes by the province (none when no province is named: then no covered place is either).
  const named = [...foreign];
  let places = query.places;
  let countyOfEnterprise = false;
  const counties = new Set<string>();
  const mentions = placesIn(query.text, cities);
  for (const mention of mentions) {
    if (!mention.district || !mention.city || counties.has(mention.district)) continue;
    counties.add(mention.district);
    const ofCity = corpus.documents.filter((document) => placeKey(document.region.city) === placeKey(mention.city));
    const spoken = ofCity.some((document) => !document.region.district || placeKey(document.region.district) === placeKey(mention.district));
    if (spoken && ofCity.every((document) => !document.region.district) && COUNTY_OWN.test(query.text)) {
      foreign.push(`${mention.text}自己的政策`);
      named.push(`${mention.text}自己的政策`);
    } else if (ofCity.length > 0 && !spoken) {
      // Named already as a place no document is for (瑞安 is one in places.json): said once.
      if (!foreign.some((place) => placeKey(place) === placeKey(mention.district))) foreign.push(mention.district);
      named.push(mention.district.replace(/(?<=..)(区|县|市)$/, ''));
    } else {
      // A county whose city's documents speak for it (清城区, 英德 of 清远), named with no place: those documents are
      // the ones asked about, as if the city were named.
      const own = ofCity.some((document) => !document.region.district) ? placeKey(mention.city) : placeKey(mention.district);
      if (ofCity.length > 0 && own && query.places.length === 0 && places.length === 0) places = [own];
      continue;
    }
    places = places.filter((place) => placeKey(place) !== placeKey(mention.city));
    // "公司注册在温州鹿城区": the county's city may stand between the words and the county.
    if (!spoken) {
      const bare = query.text.replaceAll(new RegExp(`${placeKey(mention.city)}市?(?=${mention.text})`, 'g'), '');
      if (REGISTERED.some((word) => bare.includes(`${word}${mention.text}`)) || locatedIn(bare, mention.text)) countyOfEnterprise = true;
    }
  }
  // A city whose documents here are all one county's (乐清's within 温州), named with none of its counties: the city's
  // own schemes are asked ("温州市本级对企业上市奖励多少钱", "温州那个行动方案里…奖多少"), which no document is.
  for (const mention of mentions) {
    if (mention.district || !mention.city) continue;
    const ofCity = corpus.documents.filter((document) => placeKey(document.region.city) === placeKey(mention.city));
    if (ofCity.length === 0 || ofCity.some((document) => !document.region.district)) continue;
    if (mentions.some((other) => other.district && placeKey(other.city) === placeKey(mention.city))) continue;
    const level = `${placeKey(mention.city)}市级政策`;
    if (foreign.includes(level)) continue;
    foreign.push(level);
    named.push(mention.text);
    places = places.filter((place) => placeKey(place) !== placeKey(mention.city));
  }
  if (query.higherLevel && !corpus.documents.some((document) => document.region.city === null)) {
    const provinces = places.filter((place) => corpus.documents.some((document) => document.region.province?.includes(place)));
    const others = places.filter((place) => !provinces.includes(place) && !foreign.includes(place));
    if (others.length === 0) {
      const national = /国家|中央|国务院/.test(query.higherLevel);
      const levels =
        national || provinces.length === 0 ? [national ? '国家层面政策' : '省级政策'] : provinces.map((place) => `${place.replace(/省$/, '')}省级政策`);
      foreign.push(...levels);
      named.push(...(national || provinces.length === 0 ? [''] : provinces.map((place) => place.replace(/省$/, ''))));
      places = places.filter((place) => !provinces.includes(place));
    }
  }
  const asking = askingParts(query.text).join(' ');
  // Where the enterprise is registered decides whether a city's measure is its own ("公司注册在广州花都,厂子在清远"):
  // told in the story, such a place still leaves the question open.
  const registered = placeData.places.filter(
    (place) =>
      query.text.includes(place) &&
      (REGISTERED.some((word) => query.text.includes(`${word}${place}`)) || locatedIn(query.text, place)) &&
      !corpus.documents.some((document) => mentionsPlace(document, place)),
  );
  for (const place of registered) if (!foreign.includes(place)) foreign.push(place);
  // "我厂在温州瓯海区 不在乐清": a covered place said not to be the enterprise's, when it told where it is instead, is not
  // the place asked about (a person's "户口不在清远" says nothing of the enterprise).
  if (registered.length > 0 || countyOfEnterprise) places = places.filter((place) => !new RegExp(`(不在|不是|并非)${placeKey(place)}`).test(query.text));
  const policyOf = foreign.some((place) => namesItsPolicy(query.text, place));
  // Where a person or a thing comes from ("从湖南挖了个工程师", "老家湖南", "湖南来的工人") is the story's, not the place asked.
  const askedOf = (name: string) => asking.replace(new RegExp(`(从|来自|老家(在|是)?)${name}|${name}(来的|过来的|人(?!社))`, 'g'), '').includes(name);
  return { foreign, places, asked: registered.length > 0 || countyOfEnterprise || policyOf || named.some((name) => name === '' || askedOf(name)), policyOf };
}
