/**
 * The classifier bench's seeded lexicon and corpus (bench/classifier.ts): Chinese and English chat
 * messages of about 1 KB, with lexicon terms planted in some, plainly or in evasive forms.
 */
import { normalizeForMatching, normalizePattern } from '../shared/classifier/normalize.js';
import t2sTable from '../shared/classifier/t2s-table.json' with { type: 'json' };
import { Random } from './random.js';

/** The figures: a 10,000-term lexicon, 1 KB chat messages. */
export const TERMS = 10_000;
export const CHINESE_SHARE = 0.6;
export const MESSAGE_BYTES = 1024;
export const MESSAGES = 2_000;
/** Share of messages a lexicon term is planted in (besides accidental matches of short terms). */
export const PLANTED_SHARE = 0.25;

/**
 * The seeded lexicon (as normalized patterns) and corpus (raw and normalized). Every string is flat,
 * as JSON.parse makes the messages the classifier gets, not the rope string concatenation builds.
 */
export function classifierFixtures(): { patterns: string[]; raw: string[]; normalized: string[] } {
  const random = new Random(0x0c1a_5517);
  const lexicon = makeLexicon(random);
  const patterns = flat([...new Set(lexicon.map((term) => normalizePattern(term).text))]);
  if (patterns.length !== TERMS)
    throw new Error(`the lexicon folds to ${patterns.length} terms, not ${TERMS}`);
  const raw = flat(makeCorpus(random, lexicon));
  const normalized = flat(raw.map((message) => normalizeForMatching(message).text));
  return { patterns, raw, normalized };
}

/** Copies of the strings, each flat (as JSON.parse makes them). */
export function flat(strings: readonly string[]): string[] {
  return JSON.parse(JSON.stringify(strings)) as string[];
}

// ---- the seeded lexicon and corpus ---------------------------------------------------------------

/** Frequent characters of Chinese chat, most frequent first (text draws from them by a Zipf law). */
const COMMON_HAN = [
  ...new Set(
    '的一是不了人我在有他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列武红响虽推势参希古众构房半节土投某案黑维革划敢术验'
      .split('')
      .filter((char) => /\p{Script=Han}/u.test(char)),
  ),
];
/** The commonest characters and words (function words), which lexicon terms are not made of. */
const FUNCTION_CHARACTERS = 100;
const FUNCTION_WORDS = 60;
const CHAT_PARTICLES = '吗呢吧啊哈嗯哦呀啦嘛';
const CHINESE_PUNCTUATION = ['，', '，', '，', '。', '。', '！', '？', '、', '～', '……'];
const ENGLISH_WORDS =
  'the be to of and a in that have i it for not on with he as you do at this but his by from they we say her she or an will my one all would there their what so up out if about who get which go me when make can like time no just him know take people into year your good some could them see other than then now look only come its over think also back after use two how our work first well way even new want because any these give day most us is are was were has had been call meeting order price send today tomorrow please thanks group chat photo video link office team project client report update check market online free money deal offer service product account payment bank card number phone address share friend family weekend dinner lunch coffee travel ticket hotel flight'.split(
    ' ',
  );
const SYLLABLE_ONSETS = [
  'b',
  'c',
  'd',
  'f',
  'g',
  'h',
  'j',
  'k',
  'l',
  'm',
  'n',
  'p',
  'r',
  's',
  't',
  'v',
  'w',
  'z',
  'bl',
  'br',
  'ch',
  'cl',
  'cr',
  'dr',
  'fl',
  'fr',
  'gr',
  'pl',
  'pr',
  'sh',
  'sl',
  'sp',
  'st',
  'th',
  'tr',
];
const SYLLABLE_VOWELS = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'ee', 'oo', 'ou', 'y'];
const SYLLABLE_CODAS = ['', '', '', 'n', 'r', 's', 't', 'ck', 'ng', 'st', 'x', 'll'];

/** Simplified → one traditional form (reverse of the t2s table), for planting evasive forms. */
const TRADITIONAL: ReadonlyMap<string, string> = (() => {
  const codePoints = Array.from(t2sTable.pairs);
  const map = new Map<string, string>();
  for (let k = 0; k + 1 < codePoints.length; k += 2) {
    const traditional = codePoints[k] as string;
    const simplified = codePoints[k + 1] as string;
    if (!map.has(simplified)) map.set(simplified, traditional);
  }
  return map;
})();

function makeLexicon(random: Random): string[] {
  const terms = new Set<string>();
  const chineseTarget = Math.round(TERMS * CHINESE_SHARE);
  const folded = new Set<string>();
  const add = (term: string) => {
    const key = normalizePattern(term).text;
    if (key.length === 0 || folded.has(key)) return;
    folded.add(key);
    terms.add(term);
  };
  while (terms.size < chineseTarget) {
    const length = random.pickWeighted([2, 3, 4, 5, 6], [30, 25, 30, 10, 5]);
    let term = '';
    for (let k = 0; k < length; k++) {
      // Mostly common characters (real terms are made of them), though not the commonest function
      // characters (的, 了, 是), and some from the whole CJK block.
      term +=
        random.next() < 0.8
          ? (COMMON_HAN[FUNCTION_CHARACTERS + random.int(COMMON_HAN.length - FUNCTION_CHARACTERS)] as string)
          : String.fromCharCode(0x4e00 + random.int(0x51a6));
    }
    add(term);
  }
  while (terms.size < TERMS) {
    let term = '';
    if (random.next() < 0.1) {
      // A two-word phrase (folded, "free money" is "freemoney"), of words that are not the commonest.
      const word = () =>
        ENGLISH_WORDS[FUNCTION_WORDS + random.int(ENGLISH_WORDS.length - FUNCTION_WORDS)] as string;
      term = `${word()}${word()}`;
    } else {
      const length = 4 + random.int(9);
      while (term.length < length) {
        term += random.pick(SYLLABLE_ONSETS) + random.pick(SYLLABLE_VOWELS) + random.pick(SYLLABLE_CODAS);
      }
      term = term.slice(0, length);
    }
    if (term.length >= 4 && term.length <= 12) add(term);
  }
  return [...terms];
}

function makeCorpus(random: Random, lexicon: readonly string[]): string[] {
  const messages: string[] = [];
  for (let m = 0; m < MESSAGES; m++) {
    const chinese = random.next() < CHINESE_SHARE;
    const parts: string[] = [];
    let bytes = 0;
    const plant = random.next() < PLANTED_SHARE ? 1 + random.int(2) : 0;
    const plantAt = new Set<number>();
    for (let k = 0; k < plant; k++) plantAt.add(random.int(12));
    for (let sentence = 0; bytes < MESSAGE_BYTES + 64; sentence++) {
      let text = chinese ? chineseSentence(random) : englishSentence(random);
      if (plantAt.has(sentence)) text = plantTerm(random, text, random.pick(lexicon));
      parts.push(text);
      bytes += utf8Bytes(text);
    }
    messages.push(truncateUtf8(parts.join(chinese ? '' : ' '), MESSAGE_BYTES));
  }
  return messages;
}

function chineseSentence(random: Random): string {
  let text = '';
  const length = 6 + random.int(20);
  for (let k = 0; k < length; k++) {
    const roll = random.next();
    if (roll < 0.04) text += random.pick(CHINESE_PUNCTUATION);
    else if (roll < 0.06) text += random.pick(ENGLISH_WORDS);
    else if (roll < 0.07) text += `${random.int(1000)}元`;
    else if (roll < 0.075) text += random.pick(['😀', '👍', '🙏', '😂', '🎉']);
    else if (roll < 0.1) text += CHAT_PARTICLES.charAt(random.int(CHAT_PARTICLES.length));
    else text += random.zipf(COMMON_HAN);
  }
  return text + random.pick(['。', '！', '？', '～', '']);
}

function englishSentence(random: Random): string {
  const words: string[] = [];
  const length = 4 + random.int(12);
  for (let k = 0; k < length; k++) {
    const roll = random.next();
    if (roll < 0.03) words.push(String(random.int(10_000)));
    else if (roll < 0.05) words.push(random.zipf(COMMON_HAN) + random.zipf(COMMON_HAN));
    else words.push(random.zipf(ENGLISH_WORDS));
  }
  const first = words[0] ?? '';
  words[0] = first.charAt(0).toUpperCase() + first.slice(1);
  return `${words.join(' ')}${random.pick(['.', '.', '!', '?', ','])}`;
}

/** Puts a term into a sentence, written plainly or in one of the evasive forms normalization undoes. */
function plantTerm(random: Random, sentence: string, term: string): string {
  let written = term;
  const roll = random.next();
  if (/\p{Script=Han}/u.test(term)) {
    if (roll < 0.2) written = [...term].map((char) => TRADITIONAL.get(char) ?? char).join('');
    else if (roll < 0.35) written = [...term].join(random.pick(['*', ' ', '.', '\u200b']));
  } else if (roll < 0.2) {
    written = term
      .toUpperCase()
      .replace(/[A-Z]/g, (char) => String.fromCharCode(char.charCodeAt(0) + 0xfee0));
  } else if (roll < 0.3) {
    written = [...term].join('.');
  }
  const at = random.int(sentence.length + 1);
  const before = sentence.slice(0, at);
  // Never split a surrogate pair.
  const cut = /[\ud800-\udbff]$/.test(before) ? at - 1 : at;
  return `${sentence.slice(0, cut)} ${written} ${sentence.slice(cut)}`;
}

function truncateUtf8(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const size = utf8Bytes(char);
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
}

/** A text's size in UTF-8 bytes. */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
