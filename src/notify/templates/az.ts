// Azərbaycan dilində bildirişlər (the default language of the '.az' profile). Placeholders: see ./keys.ts.
// Clause numbers are those of the Rules (Nazirlər Kabinetinin 2019-cu il 63 nömrəli Qərarı).
import type { LanguagePack } from './keys.ts';

const FREE = 'Ad azaddır; onu hər kəs yenidən qeydiyyata ala bilər.';

/** The ordinal suffix of a number read aloud (birinci, ikinci, üçüncü, ..., onuncu, iyirminci): '6.2' -> '6.2-ci'. */
export function withOrdinal(clause: string): string {
  const n = Number(/(\d+)$/.exec(clause)?.[1] ?? NaN);
  if (Number.isNaN(n)) return clause;
  const ones = ['', 'ci', 'ci', 'cü', 'cü', 'ci', 'cı', 'ci', 'ci', 'cu'];
  const tens = ['', 'cu', 'ci', 'cu', 'cı', 'ci', 'cı', 'ci', 'ci', 'cı'];
  const suffix = n % 100 === 0 ? (n === 0 ? 'cı' : 'cü') : n % 10 ? ones[n % 10]! : tens[(n % 100) / 10]!;
  return `${clause}-${suffix}`;
}
const OTHER_NAME = 'Başqa ad üçün müraciət edə bilərsiniz.';

export const az: LanguagePack = {
  templates: {
    'application.received': {
      subject: '{name} domen adı üçün {applicationId} nömrəli müraciət qəbul edildi',
      body: `{registrar} vasitəsilə {name} domen adının qeydiyyatı üçün verdiyiniz {applicationId} nömrəli müraciət {receivedAt|datetime} tarixində qəbul edildi.

Müraciətlərə daxil olma ardıcıllığı ilə 3 iş günü ərzində baxılır (Qaydaların 3.12-ci bəndi); qərarın {dueAt|datetime} tarixinədək verilməsi gözlənilir və o, bu elektron poçt ünvanına və istifadəçi hesabınıza göndəriləcək.

Bu təsdiq Qaydaların 3.11-ci bəndinə əsasən göndərilir.`,
    },
    'application.approved': {
      subject: '{name} domen adı qeydiyyata alındı',
      body: `{applicationId} nömrəli müraciətiniz təsdiq edildi: {name} domen adı {registrar} vasitəsilə {expiryDate|date} tarixinədək qeydiyyata alındı.

Qeydiyyat Müqaviləsi bu qərarla qüvvəyə minir (Qaydaların 3.14-cü bəndi). Əlaqə məlumatlarınızı aktual saxlayın: dəyişikliklər barədə 3 iş günü ərzində registratora məlumat verilməlidir (8.5-ci bənd).`,
    },
    'application.refused': {
      subject: '{name} domen adı üçün {applicationId} nömrəli müraciət rədd edildi',
      body: `{registrar} vasitəsilə {name} domen adının qeydiyyatı üçün verdiyiniz {applicationId} nömrəli müraciət rədd edildi.

Əsas (Qaydaların {ground|clause} bəndi): {ground|ground}.
{note}

Müraciət zamanı əvvəlcədən ödənilmiş məbləğ ({refund}) sizə qaytarılır (5.2-ci bənd). İmtinadan məhkəməyə şikayət edə bilərsiniz (5.3-cü bənd).`,
    },
    'application.deadline': {
      subject: 'Baxılma müddəti yaxınlaşır: {applicationId} nömrəli müraciət ({name})',
      body: `{registrar} vasitəsilə {receivedAt|datetime} tarixində verilmiş {name} domen adı üçün {applicationId} nömrəli müraciət üzrə hələ qərar qəbul edilməyib.

Qaydaların 3.12-ci bəndinə görə baxılma müddəti (3 iş günü) {dueAt|datetime} tarixində başa çatır. Xahiş edirik, bu vaxtadək baxılma növbəsində qərar verin.`,
    },
    'renewal.request': {
      subject: '{name} domen adının qeydiyyatını {expiryDate|date} tarixinədək uzadın',
      body: `{name} domen adının qeydiyyat müddəti {expiryDate|date} tarixində başa çatır.

Adı saxlamaq üçün bu tarixədək registratorunuz {registrar} vasitəsilə qeydiyyat müddətini uzadın (Qaydaların 6.1-ci bəndi). Müddət bitənədək uzadılmasa, domen adına texniki xidmət dayandırılır və ad işləmir; bundan sonra 30 gün ərzində ödəniş edilməsə, qeydiyyat ləğv edilir və ad hər kəsin qeydiyyatı üçün azad olur (6.2-ci bənd).`,
    },
    'domain.suspended': {
      subject: '{name} domen adına xidmət dayandırıldı',
      body: `{name} domen adına texniki xidmət {suspendedAt|datetime} tarixində dayandırıldı: ad artıq DNS sorğularına cavab vermir, buna görə onunla işləyən veb-saytlar və elektron poçt işləmir.

Əsas (Qaydaların {ground|clause} bəndi): {ground|ground}.
Nə etmək olar: {ground|remedy}

Səbəb aradan qaldırıldıqdan sonra xidmət 24 saat ərzində bərpa edilir (7.6-cı bənd). Registratorunuz: {registrar}. Bu qərardan məhkəməyə şikayət edə bilərsiniz (7.7-ci bənd). Bu bildiriş Qaydaların 7.5-ci bəndinə əsasən göndərilir.`,
    },
    'domain.restored': {
      subject: '{name} domen adına xidmət bərpa edildi',
      body: `{name} domen adına texniki xidmət {restoredAt|datetime} tarixində bərpa edildi (Qaydaların 7.6-cı bəndi): ad yenidən DNS-dədir və işləyir.

Registratorunuz: {registrar}.`,
    },
    'domain.cancelled': {
      subject: '{name} domen adının qeydiyyatı ləğv edildi',
      body: `{name} domen adının qeydiyyatı {cancelledAt|datetime} tarixində ləğv edildi və ad reyestrdən çıxarıldı (Qaydaların 7.3-cü bəndi).

Əsas (Qaydaların {ground|clause} bəndi): {ground|ground}.
{ground|remedy}

Registratorunuz: {registrar}. Bu qərardan məhkəməyə şikayət edə bilərsiniz (7.7-ci bənd). Bu bildiriş Qaydaların 7.5-ci bəndinə əsasən göndərilir.`,
    },
    'accuracy.notice': {
      subject: '{name} domen adının məlumatlarını {deadline|date} tarixinədək düzəldin',
      body: `{name} domen adı üçün təqdim etdiyiniz məlumatların qeyri-dəqiq olduğu müəyyən edilib:
{issue}

Xahiş edirik, {deadline|datetime} tarixinədək (bu bildirişdən sonra 3 iş günü ərzində) registratorunuz {registrar} vasitəsilə aktual məlumatları və ya onların düzgünlüyünü təsdiq edən sənədləri təqdim edin. Əks halda domen adına texniki xidmət dayandırılacaq (Qaydaların 8.7-ci bəndi).`,
    },
    'transfer.requested': {
      subject: '{name} domen adının {gainingRegistrar} registratoruna ötürülməsi tələb edildi',
      body: `{name} domen adının {losingRegistrar} registratorundan {gainingRegistrar} registratoruna ötürülməsi {requestedAt|datetime} tarixində tələb edildi.

{losingRegistrar} registratoru bundan əvvəl ötürməni təsdiq etməsə və ya rədd etməsə, ötürmə {autoApproveAt|datetime} tarixində avtomatik təsdiq ediləcək. Bu ötürməni siz tələb etməmisinizsə, dərhal {losingRegistrar} registratoru ilə əlaqə saxlayın. Registratoru sərbəst seçmək hüququnuz var (Qaydaların 1.4-cü bəndi).`,
    },
    'transfer.completed': {
      subject: '{name} domen adı {gainingRegistrar} registratoruna ötürüldü',
      body: `{name} domen adı {completedAt|datetime} tarixində {losingRegistrar} registratorundan {gainingRegistrar} registratoruna ötürüldü. Qeydiyyat {expiryDate|date} tarixinədək qüvvədədir.

Bundan sonra bu ad üzrə registratorunuz: {gainingRegistrar}.`,
    },
    'registrar.terminated': {
      subject: 'Registratorunuz dəyişir: {name} domen adı {newRegistrar} registratoruna keçir',
      body: `Domen adlarının Milli Administratoru {registrar} registratorunun funksiyalarına xitam verib (Qaydaların 9.8-ci bəndi). {name} domen adı üzrə Qeydiyyat Müqaviləsindən irəli gələn hüquq və öhdəliklər {date|date} tarixindən buna razılıq vermiş {newRegistrar} registratoruna keçir.

Adınız işləməyə davam edir; sizdən heç nə tələb olunmur. Başqa registrator seçmək hüququnuz saxlanılır (1.4-cü bənd).`,
    },
    'abuse.notice': {
      subject: '{name} domen adı ilə bağlı sui-istifadə barədə {reportId} nömrəli müraciət',
      body: `Domen adlarının Milli Administratoru {receivedAt|datetime} tarixində {registrar} vasitəsilə qeydiyyata alınmış {name} domen adı ilə bağlı {category|abuse} barədə müraciət (№ {reportId}) alıb.

Xahiş edirik məsələni araşdırın və təsdiq olunarsa səbəbini aradan qaldırın; müraciətin nömrəsini göstərməklə registratorunuza və ya Milli Administratora cavab verə bilərsiniz. Reyestr yalnız müraciət əsasında adın fəaliyyətini dayandırmır və ya ləğv etmir: bu, yalnız Qaydaların 7.3 və ya 7.4-cü bəndlərində göstərilən əsasla mümkündür və bu barədə sizə məlumat verilər.`,
    },
    'account.confirm': {
      subject: 'Domen sahibi hesabınız üçün e-poçt ünvanını təsdiq edin',
      body: `Hörmətli {name},

Domen sahibi hesabınızın yaradılmasını başa çatdırmaq üçün bu keçidi açın: {link}

Keçid bir dəfə, {expiresAt|datetime} tarixinədək işləyir. Qeydiyyatdan keçməmisinizsə, bu məktuba məhəl qoymayın: hesab aktiv olmayacaq.`,
    },
    'account.exists': {
      subject: 'Domen sahibi hesabınız: bu ünvanla yeni qeydiyyat cəhdi',
      body: `Kimsə, bəlkə də siz, artıq hesabı olan bu e-poçt ünvanı ilə domen sahibi hesabı yaratmaq istəyib. Yeni hesab yaradılmayıb.

Hesabınızdan istifadə etmək üçün buradan daxil olun: {link}

Bu siz deyildinizsə, heç nə etməyiniz lazım deyil; hesabınız dəyişməyib.`,
    },
    'account.refund': {
      subject: '{orderId} nömrəli sifariş: {amount} geri qaytarıldı',
      body: `{name} domen adı üçün {orderId} nömrəli sifarişinizə görə ödədiyiniz {amount} ödəniş etdiyiniz vasitəyə geri qaytarıldı (Qaydaların 5.2-ci bəndi).

Səbəb: {reason}`,
    },
  },
  grounds: {
    'R5.1.1': 'ad artıq başqa şəxsin adına qeydiyyata alınıb',
    'R5.1.2': 'müraciətdə göstərilən məlumatlar qeyri-dəqiqdir',
    'R5.1.3': 'ad Qaydaların tələblərinə uyğun deyil',
    'R5.1.4': 'ad ayrılmış domen adları siyahısındadır',
    'R5.1.5': 'ad Stop-siyahıdadır',
    'R5.1.6': 'qeydiyyat haqqı ödənilməyib',
    'R5.1.7': 'adı istifadə olunan dövlət orqanının və ya təşkilatın yazılı müraciəti və ya razılığı yoxdur (4.8-ci bənd)',
    'R5.1.8': 'coğrafi ad və ya tanınmış şəxsin adı həmin şəxsin, onun varislərinin və ya qanuni nümayəndələrinin razılığı olmadan və Nazirliklə razılaşdırılmadan istifadə olunub (4.2-ci bənd)',
    'R5.1.9': 'ad ictimai qaydaya və ya əxlaqa zidd sözlər ehtiva edir (4.4-cü bənd)',
    'R7.3.1': 'domen sahibi (onun qanuni nümayəndəsi və ya varisi) müraciət edib',
    'R7.3.2': 'qanuni qüvvəyə minmiş məhkəmə qərarı',
    'R7.3.3': 'adın sahibi olan hüquqi şəxs ləğv edilib',
    'R7.3.4': 'Qeydiyyat Müqaviləsinin şərtləri pozulub',
    'R7.3.5': 'ad Stop-siyahıya daxil edilib',
    'R7.3.6': 'qeydiyyat müddəti uzadılmayıb və xidmət dayandırıldıqdan sonra 30 gün ərzində ödəniş edilməyib (6.2-ci bənd)',
    'R7.4.1': 'domen sahibi (onun qanuni nümayəndəsi və ya varisi) müraciət edib',
    'R7.4.2': 'Qeydiyyat Müqaviləsinin şərtləri',
    'R7.4.3': 'müvafiq məhkəmə qərarı',
    'R7.4.4': 'sahibin vəfatı, məhkəmə qərarı ilə fəaliyyət qabiliyyətsiz sayılması, itkin düşmüş və ya ölmüş elan edilməsi',
    'R7.4.5': 'sahibin fəaliyyət qabiliyyətinin məhkəmə qərarı ilə məhdudlaşdırılması və ya qanuni qüvvəyə minmiş hökmlə azadlıqdan məhrum edilməsi',
    'R6.2': 'qeydiyyat müddəti bitənədək uzadılmayıb',
    'R8.6': 'reyestrdəki məlumatların dəyişməsi barədə 3 iş günü ərzində məlumat verilməyib',
    'R8.7': 'ad üçün təqdim edilmiş məlumatların qeyri-dəqiqliyi sübut edilib və bildirişdən sonra 3 iş günü ərzində düzəldilməyib',
  },
  abuse: {
    phishing: 'fişinq', malware: 'zərərli proqram yayılması', botnet: 'botnet idarəetməsi', spam: 'spam',
    fraud: 'fırıldaqçılıq', illegal_content: 'qanunsuz məzmun', other: 'digər sui-istifadə',
  },
  remedies: {
    'R5.1.1': OTHER_NAME,
    'R5.1.2': 'Dəqiq məlumatlarla yenidən müraciət edə bilərsiniz.',
    'R5.1.3': 'Tələblərə uyğun ad üçün müraciət edə bilərsiniz.',
    'R5.1.4': OTHER_NAME,
    'R5.1.5': OTHER_NAME,
    'R5.1.6': 'Yenidən müraciət edib haqqı ödəyə bilərsiniz.',
    'R5.1.7': 'Orqanın və ya təşkilatın yazılı razılığı ilə yenidən müraciət edə bilərsiniz.',
    'R5.1.8': 'Razılıq və Nazirliyin təsdiqi ilə yenidən müraciət edə bilərsiniz.',
    'R5.1.9': OTHER_NAME,
    'R7.3.1': FREE,
    'R7.3.2': FREE,
    'R7.3.3': FREE,
    'R7.3.4': FREE,
    'R7.3.5': 'Bu ad yenidən qeydiyyata alına bilməz.',
    'R7.3.6': FREE,
    'R7.4.1': 'Xidmətin bərpasını istədiyiniz zaman registratorunuza müraciət edin.',
    'R7.4.2': 'Qeydiyyat Müqaviləsinin şərtlərini həll etmək üçün registratorunuzla əlaqə saxlayın.',
    'R7.4.3': 'Məhkəmə qərarı dayandırmanı artıq tələb etmədikdə xidmət bərpa olunur; qərarı registratorunuza təqdim edin.',
    'R7.4.4': 'Varislər və ya qanuni nümayəndələr sənədlərlə registratora müraciət edə bilərlər.',
    'R7.4.5': 'Qanuni nümayəndə sənədlərlə registratora müraciət edə bilər.',
    'R6.2': 'Registratorunuz vasitəsilə qeydiyyat müddətini uzadın və ödəniş edin. Xidmət dayandırıldıqdan sonra 30 gün ərzində ödəniş edilməsə, qeydiyyat ləğv edilir və ad azad olur (6.2-ci bənd).',
    'R8.6': 'Dəyişmiş məlumatlar barədə registratorunuza məlumat verin.',
    'R8.7': 'Aktual məlumatları və ya məlumatlarınızı təsdiq edən sənədləri registratorunuza təqdim edin.',
  },
  clause: withOrdinal,
  date: '{d}.{m}.{y}',
  datetime: '{date}, saat {time} ({zone})',
  months: ['yanvar', 'fevral', 'mart', 'aprel', 'may', 'iyun', 'iyul', 'avqust', 'sentyabr', 'oktyabr', 'noyabr', 'dekabr'],
  timeZone: { 'Asia/Baku': 'Bakı vaxtı', UTC: 'UTC' },
  signature: `--
Domen adlarının Milli Administratoru
Bu məktub avtomatik göndərilib.`,
};
