// Starter lists for '.az'. The Ministry and the NA own the live lists (R4.3, R4.9, R4.10);
// these seed a fresh registry and the tests. Words are U-labels (hyphens allowed; matching
// ignores them and folds ə→e etc., see fold.ts).
import type { ListEntry, ListName, MatchMode } from './types.ts';

function entries(list: ListName, match: MatchMode, words: readonly string[], note: string | null = null): ListEntry[] {
  return words.map((word) => ({ list, word, match, note }));
}

/** R4.2: the 12 cities of republican subordination (incl. Naxçıvan) and Xırdalan. */
const CITIES = [
  'bakı', 'gəncə', 'sumqayıt', 'mingəçevir', 'şirvan', 'naftalan', 'lənkəran', 'şəki', 'yevlax',
  'xankəndi', 'şuşa', 'naxçıvan', 'xırdalan',
] as const;

/** R4.2: the 66 districts (rayons), 59 + 7 in the Naxçıvan Autonomous Republic. */
const DISTRICTS = [
  'abşeron', 'ağcabədi', 'ağdam', 'ağdaş', 'ağstafa', 'ağsu', 'astara', 'balakən', 'beyləqan', 'bərdə',
  'biləsuvar', 'cəbrayıl', 'cəlilabad', 'daşkəsən', 'füzuli', 'gədəbəy', 'goranboy', 'göyçay', 'göygöl',
  'hacıqabul', 'imişli', 'ismayıllı', 'kəlbəcər', 'kürdəmir', 'laçın', 'lənkəran', 'lerik', 'masallı',
  'neftçala', 'oğuz', 'qəbələ', 'qax', 'qazax', 'qobustan', 'quba', 'qubadlı', 'qusar', 'saatlı',
  'sabirabad', 'salyan', 'samux', 'siyəzən', 'şabran', 'şamaxı', 'şəki', 'şəmkir', 'şuşa', 'tərtər',
  'tovuz', 'ucar', 'xaçmaz', 'xızı', 'xocalı', 'xocavənd', 'yardımlı', 'yevlax', 'zaqatala', 'zəngilan',
  'zərdab',
  // Naxçıvan Autonomous Republic
  'babək', 'culfa', 'kəngərli', 'ordubad', 'sədərək', 'şahbuz', 'şərur',
] as const;

/** R4.2: regions, mountains, rivers, the country itself. */
const OTHER_PLACES = [
  'azərbaycan', 'qarabağ', 'şərqi-zəngəzur', 'naxçıvan-muxtar-respublikası', 'şahdağ', 'bazardüzü',
  'tufandağ', 'kür', 'araz', 'xəzər', 'göygöl-milli-parkı', 'qobustan-qoruğu',
] as const;

/** R4.2 "translations into different languages": common English/Russian exonyms. */
const EXONYMS = [
  'azerbaijan', 'baku', 'ganja', 'sumgait', 'mingachevir', 'shirvan', 'lankaran', 'sheki', 'shaki',
  'nakhchivan', 'khankendi', 'shusha', 'karabakh', 'gabala', 'guba', 'shamakhi', 'khachmaz',
] as const;

const dedupe = (words: readonly string[]): string[] => [...new Set(words)];

export const AZ_GEOGRAPHIC: ListEntry[] = [
  // R4.2 "and words derived from them": a place name as a part of a label (şəki-turizm) also goes to review.
  ...entries('geographic', 'word', dedupe([...CITIES, ...DISTRICTS, ...OTHER_PLACES])),
  ...entries('geographic', 'word', EXONYMS, 'exonym (R4.2 translations)'),
];

/** R4.2: prominent persons (names, pseudonyms). Full names also match inside longer labels. */
export const AZ_PERSONS: ListEntry[] = [
  ...entries('person', 'exact', [
    'nizami', 'nizami-gəncəvi', 'füzuli', 'nəsimi', 'natəvan', 'xətai', 'vaqif', 'sabir', 'cavid',
  ], 'poet'),
  ...entries('person', 'substring', [
    'heydər-əliyev', 'ilham-əliyev', 'üzeyir-hacıbəyli', 'səməd-vurğun', 'məmməd-əmin-rəsulzadə',
    'mirzə-fətəli-axundzadə', 'qara-qarayev', 'müslüm-maqomayev', 'rəşid-behbudov',
  ]),
  ...entries('person', 'substring', ['heydar-aliyev', 'ilham-aliyev', 'uzeyir-hajibeyli'], 'English transliteration (R4.2)'),
];

/** R4.8: state bodies, parties, state companies, international organisations, and abbreviations. */
export const AZ_ORGANISATIONS: ListEntry[] = [
  ...entries('organisation', 'exact', [
    'prezident', 'president', 'milli-məclis', 'nazirlər-kabineti', 'konstitusiya-məhkəməsi', 'ali-məhkəmə',
    'baş-prokurorluq', 'mərkəzi-seçki-komissiyası', 'mərkəzi-bank', 'cbar',
  ], 'state body'),
  ...entries('organisation', 'exact', [
    'xin',      // Xarici İşlər Nazirliyi (foreign affairs)
    'müdafiə-nazirliyi',
    'ədliyyə-nazirliyi',
    'fhn',      // Fövqəladə Hallar Nazirliyi (emergencies)
    'dtx',      // Dövlət Təhlükəsizlik Xidməti (state security)
    'dsx',      // Dövlət Sərhəd Xidməti (border service)
    'dgk',      // Dövlət Gömrük Komitəsi (customs)
    'dim',      // Dövlət İmtahan Mərkəzi (examinations)
    'dsmf',     // Dövlət Sosial Müdafiə Fondu
    'sosial',   // sosial.gov.az, Ministry of Labour and Social Protection
    'icta', 'ikta', // İnformasiya Kommunikasiya Texnologiyaları Agentliyi
    'asan', 'asan-xidmət',
    'e-gov',
    'azərtac',  // state news agency
  ], 'state body (abbreviation)'),
  ...entries('organisation', 'exact', ['socar', 'azal', 'ady', 'azərişıq', 'azərsu'], 'state company'),
  ...entries('organisation', 'exact', ['yap', 'müsavat'], 'political party'),
  ...entries('organisation', 'exact', ['bmt', 'unesco', 'unicef'], 'international organisation'),
];

/** R4.9, R4.10: names kept for public needs and the registry's own services. */
export const AZ_RESERVED: ListEntry[] = entries('reserved', 'exact', [
  'whois', 'nic', 'registry', 'registrar', 'dns', 'rdap', 'epp', 'www', 'localhost', 'example', 'test',
  'invalid', 'local', 'icann', 'iana', 'hostmaster',
]);

/**
 * R4.3, R4.4 Stop-list sample. 'substring' for distinctive stems (evasion by affixes); 'exact'
 * for short stems that occur inside ordinary words (e.g. 'sik' in 'şikayət', complaint).
 */
export const AZ_STOP: ListEntry[] = [
  ...entries('stop', 'substring', [
    'fuck', 'shit', 'bitch', 'whore', 'nigger', 'faggot', 'porn', 'pedophil', 'paedophil', 'pedofil',
    'heilhitler', 'motherfuck',
  ], 'English'),
  ...entries('stop', 'exact', ['cunt', 'slut', 'rape'], 'English, short stem'),
  ...entries('stop', 'substring', ['qəhbə', 'gəhbə', 'sikdir', 'sikim', 'dalbayob', 'peysər'], 'Azerbaijani'),
  ...entries('stop', 'exact', ['sik'], 'Azerbaijani, short stem'),
  ...entries('stop', 'substring', ['blyad', 'blyat', 'pizd', 'yebat', 'mudak', 'gandon'], 'Russian, transliterated'),
  ...entries('stop', 'exact', ['xuy', 'huy', 'suka'], 'Russian, transliterated, short stem'),
];

export const AZ_STARTER_LISTS: ListEntry[] = [
  ...AZ_STOP, ...AZ_RESERVED, ...AZ_GEOGRAPHIC, ...AZ_PERSONS, ...AZ_ORGANISATIONS,
];
