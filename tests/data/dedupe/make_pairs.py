"""Compose the labeled near-duplicate set (pairs.jsonl) from hand-written story families.

Run from the repository root: ``python tests/data/dedupe/make_pairs.py``. Deterministic (a
fixed seed), so the committed pairs.jsonl is reproducible.

Each family is one set of actors (a union, a president, a parliament...) with several
*frames*: different events those actors were in the news for. A frame has hand-written
headline variants (how different outlets phrase the same story) and summary variants (the
agency text and a paraphrase). From them:

- same story (label 1): syndicated copy with an outlet's suffix, a prefix such as "عاجل:"
  or "Breaking:", diacritics and spelling variants (أ/ا, ة/ه, ى/ي, tatweel, Arabic-Indic
  digits), a rewritten headline over the same text, a rewritten headline over a
  paraphrased text, a summary cut to its first sentence;
- different story (label 0): the same actors in another event on the same day and place,
  the same kind of event somewhere else with other numbers, and generic titles ("عاجل",
  "Breaking") over unrelated texts.

Families are split whole: ``split: tune`` families were used to choose the thresholds in
aggregator/dedupe.py, ``split: heldout`` families (every third family, by position) were
not looked at while tuning; the test reports both.

Later additions, ``NEW_FAMILIES`` (families 23-47, 100 pairs, half of each label), are
appended after the balanced set above and use no randomness, so the earlier pairs stay as
they were. They were written by hand, without reading the matcher, for what a black-box
evaluation found it got wrong, and follow the same split rule:

- different story (label 0): ``one-party``, the same title and summary word for word except
  one named party (a union, party, ministry or company, a country or city, a person),
  replaced throughout; ``one-verb``, the same actors and framing in another event, one
  action word apart (arrest/release, open/close, win/lose, rise/fall, approve/reject,
  start/end a strike, resign/appointed), the summaries sharing most of their words;
- same story (label 1): ``accented``, names with and without accents (Montréal/Montreal,
  Müller/Mueller); ``british-american``, British against American spelling (labour/labor,
  organise/organize, programme/program, defence/defense); ``synonyms``, short headlines in
  synonyms (walkout/strike, jailed/imprisoned, إضراب/توقف عن العمل, اعتقال/توقيف) over
  differently phrased one-sentence summaries; ``passive``, active voice against passive or
  nominal form (الحكومة ترفع أسعار الوقود / رفع أسعار الوقود بقرار حكومي).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent

# A family: lang, slots (each a list of alternatives; a pair of the same story shares
# them, a pair of "elsewhere" stories does not), frames: (titles, summaries).
FAMILIES: list[dict] = [
    {
        "lang": "ar",
        "slots": {"place": ["القاهرة", "الإسكندرية", "أسيوط"], "n": ["12", "40", "7"]},
        "frames": [
            (
                [
                    "نقابة المعلمين تعلن إضراباً شاملاً في {place} بدءاً من الأحد",
                    "المعلمون في {place} يبدأون إضراباً مفتوحاً الأحد المقبل",
                    "إضراب عام للمعلمين في {place} احتجاجاً على تدني الأجور",
                ],
                [
                    "أعلنت نقابة المعلمين في {place} إضراباً شاملاً عن العمل يبدأ يوم الأحد، "
                    "احتجاجاً على تجميد الأجور منذ {n} شهراً. وقالت النقابة في بيان إن الإضراب "
                    "سيستمر حتى تستجيب وزارة التربية لمطالبها.",
                    "قررت نقابة المعلمين الدخول في إضراب مفتوح في مدارس {place} ابتداءً من الأحد، "
                    "بعد {n} شهراً من تجميد الرواتب، مؤكدة أنها لن تتراجع قبل استجابة الوزارة.",
                ],
            ),
            (
                [
                    "نقابة المعلمين في {place} تعلق الإضراب بعد اتفاق مع وزارة التربية",
                    "تعليق إضراب المعلمين في {place} إثر التوصل إلى اتفاق مع الوزارة",
                    "اتفاق بين وزارة التربية ونقابة المعلمين ينهي الإضراب في {place}",
                ],
                [
                    "علقت نقابة المعلمين في {place} إضرابها بعد توقيع اتفاق مع وزارة التربية "
                    "يقضي بزيادة الرواتب بنسبة {n} في المئة. وعاد التلاميذ إلى المدارس صباح "
                    "اليوم.",
                    "أنهى المعلمون في {place} إضرابهم إثر اتفاق مع الوزارة على رفع الأجور {n} "
                    "في المئة، واستؤنفت الدراسة في المدارس صباح اليوم.",
                ],
            ),
            (
                [
                    "انتخاب مجلس جديد لنقابة المعلمين في {place}",
                    "المعلمون في {place} ينتخبون مجلس نقابتهم الجديد",
                    "نتائج انتخابات نقابة المعلمين في {place}: قائمة الاستقلال تفوز",
                ],
                [
                    "انتخب أعضاء نقابة المعلمين في {place} مجلساً جديداً للنقابة، وفازت قائمة "
                    "الاستقلال النقابي بـ{n} مقعداً. وبلغت نسبة المشاركة أكثر من نصف "
                    "الأعضاء.",
                    "فازت قائمة الاستقلال النقابي بـ{n} مقعداً في انتخابات مجلس نقابة المعلمين "
                    "في {place}، وسط مشاركة تجاوزت نصف المسجلين.",
                ],
            ),
            (
                [
                    "نقابة المعلمين تدين اعتقال أحد أعضائها في {place}",
                    "اعتقال معلم نقابي في {place} والنقابة تطالب بالإفراج عنه",
                    "النقابة تحتج على توقيف عضو في مجلسها بـ{place}",
                ],
                [
                    "أدانت نقابة المعلمين اعتقال عضو مجلسها في {place} فجر اليوم، وطالبت "
                    "بالإفراج الفوري عنه. وقالت النقابة إن قوات الأمن داهمت منزله دون إذن "
                    "قضائي.",
                    "طالبت نقابة المعلمين بإطلاق سراح أحد أعضاء مجلسها الذي أوقف فجر اليوم في "
                    "{place}، معتبرة أن مداهمة منزله جرت دون إذن من القضاء.",
                ],
            ),
        ],
    },
    {
        "lang": "ar",
        "slots": {"place": ["صفاقس", "قفصة", "سوسة"], "n": ["48", "24", "72"]},
        "frames": [
            (
                [
                    "الاتحاد العام التونسي للشغل يقرر إضراباً عاماً في القطاع العام",
                    "اتحاد الشغل يعلن إضراباً عاماً في الوظيفة العمومية لمدة {n} ساعة",
                    "تونس: إضراب عام في القطاع العام بدعوة من اتحاد الشغل",
                ],
                [
                    "قررت الهيئة الإدارية للاتحاد العام التونسي للشغل تنفيذ إضراب عام في القطاع "
                    "العام والوظيفة العمومية لمدة {n} ساعة، احتجاجاً على تجميد المفاوضات "
                    "الاجتماعية.",
                    "أعلن الاتحاد العام التونسي للشغل إضراباً عاماً يشمل الوظيفة العمومية "
                    "والمؤسسات العامة لمدة {n} ساعة، بسبب توقف التفاوض مع الحكومة.",
                ],
            ),
            (
                [
                    "جولة مفاوضات جديدة بين اتحاد الشغل والحكومة حول الأجور",
                    "الحكومة التونسية واتحاد الشغل يستأنفان التفاوض على الزيادة في الأجور",
                    "استئناف الحوار الاجتماعي في تونس بين الحكومة والمركزية النقابية",
                ],
                [
                    "استأنفت الحكومة التونسية والاتحاد العام التونسي للشغل المفاوضات حول "
                    "الزيادة في الأجور، في جلسة بقصر الحكومة بالقصبة استمرت {n} ساعات دون "
                    "التوصل إلى اتفاق نهائي.",
                    "عقد وفد الحكومة وقيادة اتحاد الشغل جلسة تفاوض بالقصبة حول الأجور دامت {n} "
                    "ساعات، وانتهت دون اتفاق على أن تستأنف الأسبوع المقبل.",
                ],
            ),
            (
                [
                    "اتحاد الشغل يندد بإيقاف كاتب عام جهوي في {place}",
                    "إيقاف نقابي بارز في {place} واتحاد الشغل يحتج",
                    "الاتحاد الجهوي للشغل بـ{place} يدعو إلى تجمع احتجاجي بعد إيقاف كاتبه العام",
                ],
                [
                    "ندد الاتحاد العام التونسي للشغل بإيقاف الكاتب العام للاتحاد الجهوي في "
                    "{place}، ودعا إلى تجمع احتجاجي أمام مقر الولاية. وقالت المركزية النقابية "
                    "إن الإيقاف يستهدف العمل النقابي.",
                    "دعا الاتحاد الجهوي للشغل في {place} إلى تجمع أمام مقر الولاية احتجاجاً على "
                    "إيقاف كاتبه العام، معتبراً ذلك استهدافاً للحق النقابي.",
                ],
            ),
        ],
    },
    {
        "lang": "ar",
        "slots": {"place": ["ميناء بيروت", "ميناء طرابلس", "ميناء صيدا"], "n": ["3", "5", "9"]},
        "frames": [
            (
                [
                    "إضراب عمال {place} يدخل يومه الـ{n}",
                    "لليوم الـ{n} على التوالي.. عمال {place} يواصلون إضرابهم",
                    "عمال {place} مستمرون في الإضراب لليوم الـ{n}",
                ],
                [
                    "دخل إضراب عمال {place} يومه الـ{n} مع توقف عمليات التفريغ بالكامل، فيما "
                    "تتكدس السفن في المرفأ. ويطالب العمال بتثبيتهم وتحسين شروط السلامة.",
                    "يواصل عمال {place} إضرابهم لليوم الـ{n} على التوالي، ما أدى إلى شلل حركة "
                    "التفريغ وتكدس السفن، للمطالبة بالتثبيت وبشروط سلامة أفضل.",
                ],
            ),
            (
                [
                    "إدارة {place} تفصل {n} عمال مضربين",
                    "فصل {n} من العمال المضربين في {place}",
                    "الإدارة ترد على الإضراب بفصل {n} عمال في {place}",
                ],
                [
                    "أعلنت إدارة {place} فصل {n} عمال من المشاركين في الإضراب، بحجة تعطيل "
                    "المرفق العام. ووصفت لجنة العمال القرار بأنه انتقامي وتعهدت بالطعن فيه.",
                    "قررت إدارة {place} الاستغناء عن {n} عمال مضربين متهمة إياهم بتعطيل المرفق، "
                    "فيما اعتبرت لجنة العمال الخطوة انتقاماً وقالت إنها ستطعن فيها.",
                ],
            ),
            (
                [
                    "مصرع عامل وإصابة {n} آخرين في حادث عمل بـ{place}",
                    "حادث عمل في {place} يودي بحياة عامل",
                    "وفاة عامل بعد سقوط حاوية في {place}",
                ],
                [
                    "لقي عامل حتفه وأصيب {n} آخرون بعد سقوط حاوية أثناء التفريغ في {place}. "
                    "وحمّلت لجنة العمال الإدارة المسؤولية بسبب غياب معدات السلامة.",
                    "توفي عامل وجرح {n} من زملائه إثر سقوط حاوية خلال عمليات التفريغ في "
                    "{place}، وقالت لجنة العمال إن الإدارة تتحمل المسؤولية لغياب وسائل السلامة.",
                ],
            ),
        ],
    },
    {
        "lang": "ar",
        "slots": {"place": ["قرطاج", "تونس العاصمة", "قصر قرطاج"], "n": ["2", "4", "6"]},
        "frames": [
            (
                [
                    "الرئيس التونسي يقيل وزير الداخلية",
                    "قيس سعيد يعفي وزير الداخلية من مهامه",
                    "إقالة وزير الداخلية التونسي بأمر رئاسي",
                ],
                [
                    "أصدر الرئيس التونسي قيس سعيد أمراً رئاسياً بإعفاء وزير الداخلية من مهامه، "
                    "وكلف وزير العدل بتسيير الوزارة بالنيابة. ولم توضح الرئاسة أسباب القرار.",
                    "أعفى الرئيس قيس سعيد وزير الداخلية من منصبه بأمر رئاسي، وأسند الوزارة "
                    "مؤقتاً إلى وزير العدل، دون أن تقدم الرئاسة تفسيراً للإقالة.",
                ],
            ),
            (
                [
                    "الرئيس التونسي يعين رئيس حكومة جديداً",
                    "قيس سعيد يكلف شخصية اقتصادية برئاسة الحكومة",
                    "تعيين رئيس جديد للحكومة في تونس",
                ],
                [
                    "عين الرئيس التونسي قيس سعيد الخبير الاقتصادي أحمد الحشاني رئيساً للحكومة "
                    "خلفاً لنجلاء بودن، في خطوة مفاجئة أعلنتها الرئاسة في ساعة متأخرة من الليل.",
                    "كلف قيس سعيد الخبير أحمد الحشاني برئاسة الحكومة بدلاً من نجلاء بودن، وفق "
                    "بيان للرئاسة صدر في وقت متأخر من الليل.",
                ],
            ),
            (
                [
                    "الرئيس التونسي يحل المجالس البلدية",
                    "قيس سعيد يقرر حل المجالس البلدية قبل انتهاء ولايتها",
                    "حل المجالس البلدية في تونس بمرسوم رئاسي",
                ],
                [
                    "أعلن الرئيس التونسي قيس سعيد حل المجالس البلدية المنتخبة قبل أشهر من "
                    "انتهاء ولايتها، على أن تتولى النيابات الخصوصية تسيير البلديات حتى إجراء "
                    "انتخابات جديدة.",
                    "قرر قيس سعيد حل المجالس البلدية قبل نهاية عهدتها، وإسناد تسيير البلديات إلى "
                    "نيابات خصوصية إلى حين تنظيم انتخابات محلية جديدة.",
                ],
            ),
            (
                [
                    "الرئيس التونسي يستقبل وزيرة التجارة ويدعو إلى مكافحة الاحتكار",
                    "قيس سعيد يطالب بتشديد الرقابة على الأسعار خلال لقائه وزيرة التجارة",
                    "سعيد لوزيرة التجارة: لا تهاون مع المحتكرين",
                ],
                [
                    "استقبل الرئيس التونسي قيس سعيد في قصر قرطاج وزيرة التجارة، وشدد على ضرورة "
                    "تكثيف المراقبة على مسالك التوزيع ومكافحة الاحتكار والمضاربة بالأسعار.",
                    "دعا قيس سعيد خلال استقباله وزيرة التجارة بقصر قرطاج إلى تشديد الرقابة على "
                    "مسالك التوزيع وعدم التهاون مع المضاربين والمحتكرين.",
                ],
            ),
        ],
    },
    {
        "lang": "ar",
        "slots": {"place": ["بيروت", "ساحة النجمة", "بيروت"], "n": ["12", "13", "11"]},
        "frames": [
            (
                [
                    "البرلمان اللبناني يفشل للمرة الـ{n} في انتخاب رئيس للجمهورية",
                    "جلسة انتخاب الرئيس اللبناني الـ{n} تنتهي دون نتيجة",
                    "لبنان: لا رئيس بعد الجلسة الـ{n} لمجلس النواب",
                ],
                [
                    "فشل مجلس النواب اللبناني للمرة الـ{n} في انتخاب رئيس للجمهورية، بعدما "
                    "انسحب نواب من القاعة وفقدت الجلسة نصابها في الدورة الثانية.",
                    "انتهت الجلسة الـ{n} لانتخاب رئيس للبنان من دون نتيجة، إثر خروج نواب من "
                    "القاعة وتطيير النصاب في الدورة الثانية من الاقتراع.",
                ],
            ),
            (
                [
                    "مجلس النواب اللبناني يقر موازنة العام الجديد",
                    "البرلمان اللبناني يصادق على الموازنة العامة",
                    "إقرار الموازنة في لبنان بأغلبية {n} نائباً",
                ],
                [
                    "أقر مجلس النواب اللبناني موازنة العام الجديد بأغلبية {n} نائباً، وسط "
                    "اعتراض كتل المعارضة على الضرائب الجديدة التي تطال ذوي الدخل المحدود.",
                    "صادق البرلمان اللبناني على الموازنة العامة بتأييد {n} نائباً، فيما اعترضت "
                    "المعارضة على ضرائب جديدة قالت إنها تصيب الفقراء.",
                ],
            ),
            (
                [
                    "تأجيل جلسة البرلمان اللبناني حول قانون استعادة الودائع",
                    "مجلس النواب يرجئ مناقشة قانون الودائع المصرفية",
                    "لبنان: المودعون يحتجون بعد تأجيل جلسة قانون الودائع",
                ],
                [
                    "أرجأ مجلس النواب اللبناني جلسة مناقشة قانون استعادة الودائع المصرفية إلى "
                    "موعد غير محدد، فيما تظاهر مودعون أمام مبنى البرلمان في ساحة النجمة.",
                    "تأجلت جلسة البرلمان المخصصة لقانون الودائع المصرفية إلى أجل غير مسمى، "
                    "بالتزامن مع تظاهرة للمودعين قرب ساحة النجمة.",
                ],
            ),
        ],
    },
    {
        "lang": "ar",
        "slots": {"place": ["الدار البيضاء", "مراكش", "طنجة"], "n": ["26", "31", "18"]},
        "frames": [
            (
                [
                    "وقفة احتجاجية في {place} بعد مقتل امرأة على يد زوجها",
                    "جمعيات نسوية تتظاهر في {place} تنديداً بجريمة قتل امرأة",
                    "غضب في {place} بعد مقتل شابة على يد زوجها",
                ],
                [
                    "نظمت جمعيات نسوية وقفة احتجاجية أمام المحكمة في {place} بعد مقتل امرأة في "
                    "الـ{n} من عمرها على يد زوجها، مطالبة بتشديد العقوبات على العنف ضد النساء.",
                    "تظاهرت ناشطات من جمعيات نسوية أمام محكمة {place} إثر قتل امرأة تبلغ {n} "
                    "عاماً على يد زوجها، وطالبن بعقوبات أشد في جرائم العنف ضد النساء.",
                ],
            ),
            (
                [
                    "الحركة النسائية المغربية تطالب بإصلاح شامل لمدونة الأسرة",
                    "جمعيات نسوية تقدم مذكرة لتعديل مدونة الأسرة",
                    "مذكرة نسوية تدعو إلى المساواة في الإرث ومنع تزويج القاصرات",
                ],
                [
                    "قدم تحالف من {n} جمعية نسوية مغربية مذكرة إلى الهيئة المكلفة بمراجعة مدونة "
                    "الأسرة، تطالب بالمساواة في الإرث ومنع تزويج القاصرات بشكل نهائي.",
                    "سلم تحالف يضم {n} جمعية نسائية مذكرة لمراجعة مدونة الأسرة، تدعو إلى منع "
                    "زواج القاصرات نهائياً وإقرار المساواة في الميراث.",
                ],
            ),
            (
                [
                    "تقرير: {n} ألف شكاية عنف ضد النساء في المغرب خلال عام",
                    "ارتفاع حالات العنف ضد النساء في المغرب بحسب تقرير رسمي",
                    "العنف الزوجي يتصدر شكاوى النساء في تقرير النيابة العامة",
                ],
                [
                    "كشف تقرير رئاسة النيابة العامة في المغرب عن تسجيل {n} ألف شكاية تتعلق "
                    "بالعنف ضد النساء خلال العام الماضي، يتصدرها العنف الزوجي.",
                    "أفاد تقرير للنيابة العامة المغربية بأن شكايات العنف ضد النساء بلغت {n} ألف "
                    "شكاية العام الماضي، وأن العنف داخل الزواج يأتي في المقدمة.",
                ],
            ),
        ],
    },
    {
        "lang": "ar",
        "slots": {"place": ["الخرطوم", "أم درمان", "بحري"], "n": ["15", "30", "8"]},
        "frames": [
            (
                [
                    "الحزب الشيوعي السوداني يدعو إلى مواكب سلمية في {place}",
                    "الشيوعي السوداني: الخروج في مواكب سلمية ضد الحرب",
                    "دعوة من الحزب الشيوعي لتظاهرات مناهضة للحرب في {place}",
                ],
                [
                    "دعا الحزب الشيوعي السوداني إلى الخروج في مواكب سلمية في {place} ومدن أخرى "
                    "للمطالبة بوقف الحرب وحماية المدنيين، وحمّل طرفي القتال مسؤولية الانتهاكات.",
                    "طالب الحزب الشيوعي السوداني بتسيير مواكب سلمية في {place} وعدد من المدن "
                    "لوقف الحرب وحماية المدنيين، محملاً طرفي النزاع مسؤولية الانتهاكات.",
                ],
            ),
            (
                [
                    "الحزب الشيوعي السوداني يرفض الاتفاق الإطاري",
                    "الشيوعي يعلن رفضه للاتفاق الموقع بين العسكر والقوى المدنية",
                    "السودان: الحزب الشيوعي يصف الاتفاق الإطاري بالتسوية المعيبة",
                ],
                [
                    "أعلن الحزب الشيوعي السوداني رفضه للاتفاق الإطاري الموقع بين المكون العسكري "
                    "وقوى مدنية، ووصفه بأنه تسوية تعيد إنتاج الشراكة مع العسكر.",
                    "رفض الحزب الشيوعي السوداني الاتفاق الإطاري بين العسكريين وقوى مدنية، "
                    "معتبراً أنه تسوية معيبة تعيد الشراكة مع المؤسسة العسكرية.",
                ],
            ),
            (
                [
                    "اعتقال قيادي في الحزب الشيوعي السوداني في {place}",
                    "السلطات السودانية تعتقل عضواً في اللجنة المركزية للحزب الشيوعي",
                    "الشيوعي السوداني يطالب بإطلاق سراح قيادي اعتقل في {place}",
                ],
                [
                    "اعتقلت قوة أمنية عضو اللجنة المركزية للحزب الشيوعي السوداني من منزله في "
                    "{place}، واقتادته إلى جهة غير معلومة، بحسب بيان للحزب طالب بإطلاق سراحه.",
                    "قال الحزب الشيوعي السوداني إن قوة أمنية اقتادت أحد أعضاء لجنته المركزية من "
                    "منزله في {place} إلى مكان مجهول، مطالباً بالإفراج عنه.",
                ],
            ),
        ],
    },
    {
        "lang": "ar",
        "slots": {"place": ["خان يونس", "رفح", "جباليا"], "n": ["22", "14", "37"]},
        "frames": [
            (
                [
                    "استشهاد {n} فلسطينياً في قصف إسرائيلي على مدرسة تؤوي نازحين في {place}",
                    "{n} شهيداً بقصف مدرسة للنازحين في {place}",
                    "مجزرة جديدة في {place}: قصف مدرسة تؤوي نازحين",
                ],
                [
                    "استشهد {n} فلسطينياً وأصيب العشرات في قصف إسرائيلي استهدف مدرسة تابعة "
                    "لوكالة الأونروا تؤوي نازحين في {place} جنوب قطاع غزة، وفق الدفاع المدني.",
                    "قال الدفاع المدني في غزة إن {n} شخصاً استشهدوا وجرح العشرات عندما قصفت "
                    "طائرات إسرائيلية مدرسة للأونروا يلجأ إليها نازحون في {place}.",
                ],
            ),
            (
                [
                    "دخول {n} شاحنة مساعدات إلى غزة عبر معبر رفح",
                    "قافلة من {n} شاحنة مساعدات تعبر إلى قطاع غزة",
                    "معبر رفح يفتح أمام {n} شاحنة إغاثة",
                ],
                [
                    "عبرت {n} شاحنة محملة بالمساعدات الغذائية والطبية إلى قطاع غزة من معبر رفح، "
                    "وهو عدد تقول الأمم المتحدة إنه لا يغطي سوى جزء ضئيل من الاحتياجات.",
                    "دخلت قافلة من {n} شاحنة تحمل أغذية وأدوية إلى غزة عبر معبر رفح، فيما تؤكد "
                    "الأمم المتحدة أن ذلك لا يلبي إلا جزءاً صغيراً من الحاجة.",
                ],
            ),
            (
                [
                    "جولة جديدة من مفاوضات وقف إطلاق النار في غزة تنطلق في القاهرة",
                    "وفود الوساطة تجتمع في القاهرة لبحث هدنة في غزة",
                    "القاهرة تستضيف محادثات حول وقف إطلاق النار وتبادل الأسرى",
                ],
                [
                    "انطلقت في القاهرة جولة جديدة من المفاوضات غير المباشرة حول وقف إطلاق النار "
                    "في غزة وتبادل الأسرى، بمشاركة وسطاء من مصر وقطر والولايات المتحدة.",
                    "بدأت في العاصمة المصرية محادثات غير مباشرة جديدة بشأن هدنة في غزة وصفقة "
                    "تبادل للأسرى، بوساطة مصرية قطرية أمريكية.",
                ],
            ),
        ],
    },
    {
        "lang": "ar",
        "slots": {"place": ["المحلة الكبرى", "كفر الدوار", "شبين الكوم"], "n": ["4", "6", "3"]},
        "frames": [
            (
                [
                    "آلاف العمال يضربون في شركة الغزل والنسيج بـ{place}",
                    "إضراب عمال غزل {place} للمطالبة بالأرباح السنوية",
                    "عمال النسيج في {place} يتوقفون عن العمل لليوم الأول",
                ],
                [
                    "أضرب آلاف العمال في شركة الغزل والنسيج بـ{place} عن العمل، مطالبين بصرف "
                    "أرباحهم السنوية المتأخرة منذ {n} أشهر ورفع الحد الأدنى للأجور.",
                    "توقف آلاف من عمال شركة غزل {place} عن العمل للمطالبة بأرباح سنوية متأخرة "
                    "منذ {n} أشهر وبزيادة الحد الأدنى للأجر.",
                ],
            ),
            (
                [
                    "إدارة شركة غزل {place} توافق على صرف الأرباح وينتهي الإضراب",
                    "انتهاء إضراب عمال {place} بعد الاستجابة لمطالبهم",
                    "العمال يعودون إلى الماكينات في {place} بعد صرف الأرباح",
                ],
                [
                    "أنهى عمال شركة الغزل والنسيج في {place} إضرابهم بعد موافقة الإدارة على صرف "
                    "أرباح {n} أشهر دفعة واحدة، وعادت الماكينات إلى الدوران مساء اليوم.",
                    "عاد العمال إلى العمل في شركة غزل {place} مساء اليوم بعدما وافقت الإدارة على "
                    "صرف أرباح {n} أشهر مرة واحدة.",
                ],
            ),
            (
                [
                    "القبض على {n} من قيادات إضراب عمال الغزل في {place}",
                    "الأمن يعتقل عمالاً من منظمي الإضراب في {place}",
                    "حملة توقيفات تطال عمالاً مضربين في {place}",
                ],
                [
                    "ألقت قوات الأمن القبض على {n} من العمال الذين قادوا الإضراب في شركة الغزل "
                    "والنسيج بـ{place}، ووجهت إليهم النيابة تهمة التحريض على تعطيل الإنتاج.",
                    "أوقف الأمن {n} عمال من منظمي الإضراب في شركة غزل {place}، وقررت النيابة "
                    "اتهامهم بالتحريض على وقف الإنتاج.",
                ],
            ),
        ],
    },
    {
        "lang": "ar",
        "slots": {"place": ["جنيف", "جنيف", "جنيف"], "n": ["5.1", "160", "2.4"]},
        "frames": [
            (
                [
                    "منظمة العمل الدولية: البطالة في العالم العربي تبلغ أعلى مستوياتها",
                    "تقرير أممي: المنطقة العربية تسجل أعلى معدل بطالة في العالم",
                    "البطالة بين الشباب العرب تتجاوز ربع القوى العاملة",
                ],
                [
                    "قالت منظمة العمل الدولية في تقرير صدر في {place} إن معدل البطالة في الدول "
                    "العربية هو الأعلى عالمياً، وإن أكثر من ربع الشباب عاطلون عن العمل.",
                    "أظهر تقرير لمنظمة العمل الدولية نشر في {place} أن المنطقة العربية تسجل "
                    "أعلى نسبة بطالة في العالم، مع بطالة تطال أكثر من ربع الشباب.",
                ],
            ),
            (
                [
                    "{n} مليون طفل في سوق العمل حول العالم",
                    "منظمة العمل الدولية واليونيسف: عمالة الأطفال ترتفع لأول مرة منذ عقدين",
                    "تقرير: ارتفاع عدد الأطفال العاملين إلى {n} مليون",
                ],
                [
                    "أعلنت منظمة العمل الدولية واليونيسف أن عدد الأطفال العاملين في العالم بلغ "
                    "{n} مليون طفل، في أول ارتفاع يسجل منذ عشرين عاماً.",
                    "قال تقرير مشترك لمنظمة العمل الدولية واليونيسف إن عمالة الأطفال ارتفعت إلى "
                    "{n} مليون طفل، وهي أول زيادة منذ عقدين.",
                ],
            ),
            (
                [
                    "مؤتمر العمل الدولي يفتتح دورته في {place} بمشاركة عربية واسعة",
                    "انطلاق أعمال مؤتمر العمل الدولي في {place}",
                    "وفود العمال وأصحاب العمل والحكومات تجتمع في {place}",
                ],
                [
                    "افتتح مؤتمر العمل الدولي دورته السنوية في {place} بمشاركة وفود من الحكومات "
                    "ومنظمات أصحاب العمل والنقابات، ويناقش هذا العام الحماية الاجتماعية.",
                    "بدأت في {place} أعمال الدورة السنوية لمؤتمر العمل الدولي بحضور ممثلي "
                    "الحكومات وأصحاب العمل والعمال، وتتصدر الحماية الاجتماعية جدول الأعمال.",
                ],
            ),
        ],
    },
    {
        "lang": "ar",
        "slots": {"place": ["بيروت", "جبيل", "زحلة"], "n": ["10", "70", "9"]},
        "frames": [
            (
                [
                    "نواب يتقدمون باقتراح قانون للزواج المدني الاختياري في لبنان",
                    "اقتراح قانون جديد للأحوال الشخصية المدنية في البرلمان اللبناني",
                    "الزواج المدني يعود إلى النقاش في لبنان",
                ],
                [
                    "تقدم {n} نواب باقتراح قانون لإقرار الزواج المدني الاختياري في لبنان، في "
                    "محاولة جديدة لكسر احتكار الطوائف لقوانين الأحوال الشخصية.",
                    "قدم {n} نواب لبنانيين اقتراح قانون لتنظيم الزواج المدني الاختياري، سعياً "
                    "لإنهاء هيمنة المحاكم الطائفية على الأحوال الشخصية.",
                ],
            ),
            (
                [
                    "ندوة في {place} حول العلمانية والدولة المدنية",
                    "جمعية علمانية تنظم ندوة عن الدولة المدنية في {place}",
                    "مثقفون يناقشون العلمانية في ندوة بـ{place}",
                ],
                [
                    "نظمت جمعية علمانية ندوة في {place} بعنوان العلمانية والدولة المدنية، شارك "
                    "فيها باحثون وناشطون ناقشوا سبل إلغاء الطائفية السياسية.",
                    "ناقش باحثون وناشطون في ندوة أقامتها جمعية علمانية في {place} مسألة الدولة "
                    "المدنية وإلغاء الطائفية السياسية.",
                ],
            ),
            (
                [
                    "محكمة لبنانية تعترف بزواج مدني عقد في قبرص",
                    "حكم قضائي في لبنان يثبت زواجاً مدنياً أبرم في الخارج",
                    "القضاء اللبناني ينصف زوجين عقدا زواجاً مدنياً في قبرص",
                ],
                [
                    "أصدرت محكمة في {place} حكماً يلزم دوائر النفوس بتسجيل زواج مدني عقده زوجان "
                    "لبنانيان في قبرص، في سابقة رحب بها ناشطون علمانيون.",
                    "ألزمت محكمة لبنانية في {place} دوائر الأحوال الشخصية بتسجيل زواج مدني أبرمه "
                    "لبنانيان في قبرص، وهو حكم اعتبره ناشطون علمانيون سابقة.",
                ],
            ),
        ],
    },
    {
        "lang": "ar",
        "slots": {"place": ["وهران", "قسنطينة", "بجاية"], "n": ["20", "35", "15"]},
        "frames": [
            (
                [
                    "احتجاجات في {place} على رفع أسعار الوقود",
                    "غضب شعبي في {place} بعد زيادة أسعار البنزين",
                    "الجزائر: مسيرات في {place} رفضاً لغلاء الوقود",
                ],
                [
                    "خرج مئات المحتجين في {place} إلى الشوارع رفضاً لقرار الحكومة رفع أسعار الوقود "
                    "بنسبة {n} في المئة، وأغلق بعضهم الطرق بالإطارات المشتعلة.",
                    "تظاهر مئات في {place} ضد زيادة أسعار البنزين بـ{n} في المئة التي قررتها "
                    "الحكومة، وقطع محتجون طرقاً بإحراق الإطارات.",
                ],
            ),
            (
                [
                    "الحكومة الجزائرية تتراجع عن زيادة أسعار الوقود",
                    "تجميد قرار رفع أسعار البنزين في الجزائر",
                    "بعد الاحتجاجات.. الحكومة تلغي زيادة أسعار الوقود",
                ],
                [
                    "أعلنت الحكومة الجزائرية تجميد قرار رفع أسعار الوقود بنسبة {n} في المئة، بعد "
                    "أيام من الاحتجاجات في عدة ولايات بينها {place}.",
                    "جمدت الحكومة في الجزائر زيادة أسعار البنزين البالغة {n} في المئة، إثر "
                    "احتجاجات شهدتها ولايات عدة منها {place}.",
                ],
            ),
            (
                [
                    "سقوط جرحى في مواجهات بين الشرطة ومحتجين في {place}",
                    "مواجهات عنيفة في {place} وإصابة {n} شخصاً",
                    "{n} جريحاً في صدامات بين الأمن والمتظاهرين في {place}",
                ],
                [
                    "أصيب {n} شخصاً بينهم عناصر من الشرطة في مواجهات بين قوات الأمن ومحتجين في "
                    "{place}، استخدمت خلالها الشرطة الغاز المسيل للدموع.",
                    "جرح {n} شخصاً من المتظاهرين ورجال الأمن في صدامات شهدتها {place}، حيث أطلقت "
                    "الشرطة قنابل الغاز المسيل للدموع.",
                ],
            ),
        ],
    },
    # --- English ---------------------------------------------------------------------
    {
        "lang": "en",
        "slots": {"place": ["London", "Manchester", "Glasgow"], "n": ["3", "2", "4"]},
        "frames": [
            (
                [
                    "RMT announces {n} days of rail strikes in December",
                    "Rail workers to walk out on {n} days next month, RMT says",
                    "RMT union sets dates for new wave of national rail strikes",
                ],
                [
                    "The RMT union announced {n} days of national rail strikes in December after "
                    "talks with train operators over pay and job cuts broke down. Services "
                    "from {place} will be severely disrupted.",
                    "Rail workers in the RMT will strike on {n} days in December, the union "
                    "said, after negotiations with operators on pay and jobs collapsed; trains "
                    "out of {place} face major disruption.",
                ],
            ),
            (
                [
                    "RMT calls off rail strike after new pay offer",
                    "Rail strike suspended as union considers improved offer",
                    "Train operators' new offer halts RMT walkout",
                ],
                [
                    "The RMT has suspended next week's rail strike after train operators "
                    "tabled an improved pay offer of {n} per cent. Members will be balloted "
                    "on the deal.",
                    "Next week's walkout by RMT members is off after operators improved "
                    "their pay offer to {n} per cent, the union said, adding that members "
                    "will vote on it.",
                ],
            ),
            (
                [
                    "RMT members vote to extend strike mandate for six months",
                    "Rail workers back further strikes in ballot",
                    "RMT ballot: strong yes vote renews mandate for industrial action",
                ],
                [
                    "RMT members have voted to extend their mandate for strike action by six "
                    "months, with {n} in 10 backing further walkouts on a turnout above the "
                    "legal threshold.",
                    "A ballot of RMT members renewed the union's strike mandate for another "
                    "six months, with {n} out of 10 voting yes and turnout clearing the legal "
                    "bar.",
                ],
            ),
        ],
    },
    {
        "lang": "en",
        "slots": {"place": ["Coventry", "Bessemer", "Staten Island"], "n": ["1,000", "600", "800"]},
        "frames": [
            (
                [
                    "Amazon warehouse workers in {place} walk out over pay",
                    "Hundreds stage walkout at Amazon's {place} warehouse",
                    "Amazon workers strike at {place} site demanding higher wages",
                ],
                [
                    "About {n} workers at Amazon's warehouse in {place} walked out on Tuesday "
                    "after the company offered a pay rise they called insulting. The GMB union "
                    "said more action would follow.",
                    "Some {n} Amazon employees at the {place} fulfilment centre stopped work on "
                    "Tuesday over a pay offer they described as insulting, and the GMB union "
                    "promised further action.",
                ],
            ),
            (
                [
                    "Amazon workers in {place} vote on union recognition",
                    "Union recognition ballot opens at Amazon {place} warehouse",
                    "Amazon {place} staff to decide on joining union",
                ],
                [
                    "Workers at Amazon's {place} warehouse began voting on Monday on whether to "
                    "be represented by a union, in a ballot that could make it the first "
                    "unionised Amazon site in the country.",
                    "Voting opened on Monday at Amazon's {place} site in a union recognition "
                    "ballot that could create the company's first unionised warehouse in the "
                    "country.",
                ],
            ),
            (
                [
                    "Report finds injury rates at Amazon {place} warehouse double industry average",
                    "Amazon {place} site has twice the injury rate of rivals, study says",
                    "Workers at Amazon {place} suffer serious injuries at high rate, report finds",
                ],
                [
                    "Serious injuries at Amazon's {place} warehouse occur at roughly twice the "
                    "industry average, according to a report by a coalition of unions that "
                    "analysed {n} incident records.",
                    "A union coalition that reviewed {n} incident records says the serious "
                    "injury rate at Amazon's {place} warehouse is about double the industry "
                    "norm.",
                ],
            ),
        ],
    },
    {
        "lang": "en",
        "slots": {
            "place": ["Paris", "Marseille", "Lyon"],
            "n": ["1.2 million", "800,000", "2 million"],
        },
        "frames": [
            (
                [
                    "Over {n} march in France against pension reform",
                    "French unions say {n} took to streets over pension age",
                    "Mass protests across France as pension reform anger grows",
                ],
                [
                    "More than {n} people marched across France on Thursday against plans to "
                    "raise the retirement age from 62 to 64, according to the interior "
                    "ministry, with clashes reported in {place}.",
                    "The interior ministry said over {n} protesters joined marches across "
                    "France on Thursday against raising the pension age to 64, and police "
                    "clashed with demonstrators in {place}.",
                ],
            ),
            (
                [
                    "French government forces pension bill through without vote",
                    "Macron uses Article 49.3 to push through pension reform",
                    "France bypasses parliament to pass pension age rise",
                ],
                [
                    "The French government used a special constitutional power, Article 49.3, "
                    "to push its pension reform through the National Assembly without a vote, "
                    "sparking angry protests in {place}.",
                    "Invoking Article 49.3 of the constitution, the government forced the "
                    "pension reform through the National Assembly with no vote, triggering "
                    "angry demonstrations in {place}.",
                ],
            ),
            (
                [
                    "French constitutional council approves pension age rise",
                    "Top court clears Macron's pension reform, rejects referendum bid",
                    "France's pension reform upheld by constitutional council",
                ],
                [
                    "France's constitutional council approved the core of the pension reform, "
                    "including raising the retirement age to 64, and rejected a bid by the "
                    "left for a referendum. Unions called new protests in {place}.",
                    "The constitutional council upheld the main part of the pension reform, "
                    "the rise in the retirement age to 64, and turned down the left's "
                    "referendum request; unions called fresh protests in {place}.",
                ],
            ),
        ],
    },
    {
        "lang": "en",
        "slots": {"place": ["Tunis", "Sfax", "Tunis"], "n": ["11", "8", "27"]},
        "frames": [
            (
                [
                    "Tunisian president sacks prime minister",
                    "Saied fires Tunisia's prime minister in late-night decree",
                    "Tunisia's Saied dismisses PM, names replacement",
                ],
                [
                    "Tunisian President Kais Saied dismissed Prime Minister Najla Bouden late "
                    "on Tuesday and appointed Ahmed Hachani, a former central bank official, to "
                    "replace her, the presidency said.",
                    "Kais Saied removed Najla Bouden as prime minister in a decree announced "
                    "late Tuesday, naming ex-central banker Ahmed Hachani in her place, "
                    "according to the presidency.",
                ],
            ),
            (
                [
                    "Tunisian police arrest opposition leader Ghannouchi",
                    "Ennahda leader Rached Ghannouchi detained in Tunisia",
                    "Tunisia arrests Ghannouchi as crackdown on critics widens",
                ],
                [
                    "Tunisian police arrested Rached Ghannouchi, head of the Ennahda party and "
                    "a leading critic of President Kais Saied, at his home in {place}, his "
                    "party said, in a widening crackdown on opponents.",
                    "Police in Tunisia detained Ennahda leader Rached Ghannouchi, a prominent "
                    "opponent of President Kais Saied, at his home in {place}, the party said, "
                    "as a crackdown on critics widened.",
                ],
            ),
            (
                [
                    "Turnout of {n}% in Tunisia's parliamentary election",
                    "Tunisians shun parliamentary vote, only {n}% turn out",
                    "Low turnout of {n} percent in Tunisia election seen as blow to Saied",
                ],
                [
                    "Only {n}% of registered voters cast ballots in Tunisia's parliamentary "
                    "election, the electoral commission said, a result opponents called a "
                    "rejection of President Kais Saied's political project.",
                    "The election commission put turnout in Tunisia's parliamentary vote at "
                    "{n}%, which opposition parties said amounted to a rejection of President "
                    "Kais Saied's political project.",
                ],
            ),
            (
                [
                    "Tunisian president meets trade minister, urges fight against speculation",
                    "Saied tells trade minister to crack down on price speculators",
                    "Tunisia's Saied calls for tougher price controls",
                ],
                [
                    "Tunisian President Kais Saied met the trade minister at Carthage Palace "
                    "and called for tighter checks on distribution channels and a fight "
                    "against hoarding and price speculation.",
                    "Meeting the trade minister at Carthage Palace, President Kais Saied urged "
                    "tougher controls on distribution channels and action against speculators "
                    "and hoarders.",
                ],
            ),
        ],
    },
    {
        "lang": "en",
        "slots": {"place": ["Khartoum", "Omdurman", "El Fasher"], "n": ["40", "25", "60"]},
        "frames": [
            (
                [
                    "Clashes in {place} kill at least {n} civilians",
                    "At least {n} civilians killed as fighting rages in {place}",
                    "Sudan: {n} civilians dead in {place} shelling, medics say",
                ],
                [
                    "At least {n} civilians were killed in {place} on Sunday when shells hit a "
                    "market during fighting between the army and the Rapid Support Forces, a "
                    "local doctors' group said.",
                    "A doctors' committee in {place} said at least {n} civilians died on "
                    "Sunday after shelling struck a crowded market amid battles between the "
                    "army and the RSF.",
                ],
            ),
            (
                [
                    "Sudan army and RSF resume ceasefire talks in Jeddah",
                    "Jeddah talks between Sudan's warring sides restart",
                    "Saudi Arabia and US host new round of Sudan ceasefire talks",
                ],
                [
                    "Delegations from Sudan's army and the Rapid Support Forces resumed talks "
                    "in Jeddah on a ceasefire, mediated by Saudi Arabia and the United States, "
                    "after months of fighting centred on {place}.",
                    "Talks on a truce between the Sudanese army and the RSF restarted in "
                    "Jeddah under Saudi and US mediation, after months of war focused on "
                    "{place}.",
                ],
            ),
            (
                [
                    "UN warns of famine in Sudan as aid access blocked",
                    "Sudan faces famine, UN says, urging access for aid convoys",
                    "Millions in Sudan at risk of famine, UN agencies warn",
                ],
                [
                    "UN agencies warned that parts of Sudan including {place} are at risk of "
                    "famine, saying aid convoys have been blocked for weeks and {n} per cent "
                    "of the population faces acute hunger.",
                    "Famine threatens parts of Sudan such as {place}, UN agencies said, "
                    "warning that convoys have been blocked for weeks and {n} per cent of "
                    "people face acute hunger.",
                ],
            ),
        ],
    },
    {
        "lang": "en",
        "slots": {"place": ["Tehran", "Tehran", "Mashhad"], "n": ["6", "10", "4"]},
        "frames": [
            (
                [
                    "Iranian women's rights activist arrested in {place}",
                    "Iran detains prominent women's rights campaigner",
                    "Security forces arrest women's rights activist at her {place} home",
                ],
                [
                    "Iranian security forces arrested a prominent women's rights activist at "
                    "her home in {place}, her family said, weeks after she spoke out against "
                    "the compulsory hijab.",
                    "A leading Iranian campaigner for women's rights was detained by security "
                    "agents at her {place} home, according to her family, weeks after she "
                    "criticised mandatory hijab rules.",
                ],
            ),
            (
                [
                    "Iranian court sentences women's rights activist to {n} years",
                    "Women's rights campaigner jailed for {n} years in Iran",
                    "Iran hands {n}-year prison term to women's rights activist",
                ],
                [
                    "A revolutionary court in {place} sentenced a women's rights activist to "
                    "{n} years in prison for propaganda against the state, her lawyer said.",
                    "Her lawyer said a revolutionary court in {place} jailed the women's "
                    "rights activist for {n} years on charges of propaganda against the "
                    "state.",
                ],
            ),
            (
                [
                    "Iran's parliament passes stricter hijab law",
                    "Iranian lawmakers approve harsher penalties for hijab violations",
                    "New Iranian law raises fines for women defying hijab rules",
                ],
                [
                    "Iran's parliament approved a bill imposing heavier fines and prison "
                    "terms of up to {n} years on women who defy the compulsory hijab, a move "
                    "rights groups condemned.",
                    "Lawmakers in Iran passed legislation with stiffer fines and jail terms of "
                    "up to {n} years for women who flout hijab rules, drawing condemnation "
                    "from rights groups.",
                ],
            ),
        ],
    },
    {
        "lang": "en",
        "slots": {"place": ["Detroit", "Toledo", "Wentzville"], "n": ["7,000", "5,800", "3,600"]},
        "frames": [
            (
                [
                    "UAW strike expands to {place} plant",
                    "Auto workers' strike spreads to {place} as talks stall",
                    "{n} more UAW members walk out at {place} assembly plant",
                ],
                [
                    "The United Auto Workers expanded its strike to the {place} assembly "
                    "plant, adding {n} workers to the walkout as contract talks with the "
                    "Detroit automakers stalled.",
                    "Another {n} UAW members walked off the job at the {place} plant on "
                    "Friday, the union said, widening the strike against the Detroit "
                    "automakers as negotiations stalled.",
                ],
            ),
            (
                [
                    "UAW reaches tentative deal with Ford",
                    "Ford and auto workers' union agree tentative contract",
                    "Tentative agreement between UAW and Ford could end strike",
                ],
                [
                    "The United Auto Workers reached a tentative agreement with Ford that "
                    "includes a 25 per cent wage rise over four and a half years; workers at "
                    "the {place} plant will return while members vote.",
                    "Ford and the UAW struck a tentative contract with a 25 per cent pay "
                    "increase over four and a half years, the union said, and strikers at "
                    "{place} will go back to work pending a vote.",
                ],
            ),
            (
                [
                    "UAW members ratify contract with General Motors narrowly",
                    "GM workers approve new contract by slim margin",
                    "Narrow yes vote ends UAW contract fight with GM",
                ],
                [
                    "UAW members ratified a new contract with General Motors by a narrow "
                    "margin, with majorities against it at several plants including {place}, "
                    "according to union tallies.",
                    "General Motors workers approved their new contract by a slim margin, "
                    "union tallies showed, although several plants such as {place} voted no.",
                ],
            ),
        ],
    },
    {
        "lang": "en",
        "slots": {"place": ["Cairo", "Cairo", "Cairo"], "n": ["35.8", "33.7", "31.2"]},
        "frames": [
            (
                [
                    "IMF approves expanded loan for Egypt",
                    "Egypt secures bigger IMF bailout",
                    "IMF board signs off on Egypt's $8 billion programme",
                ],
                [
                    "The International Monetary Fund's board approved an expanded $8 billion "
                    "loan programme for Egypt, releasing an immediate tranche, as {place} "
                    "grapples with a foreign currency crunch.",
                    "Egypt won IMF board approval for an enlarged $8 billion loan programme, "
                    "with a first disbursement released at once, as {place} faces a shortage "
                    "of foreign currency.",
                ],
            ),
            (
                [
                    "Egyptian pound plunges after central bank floats currency",
                    "Egypt lets pound float, currency falls sharply",
                    "Egypt's central bank devalues pound in move to free float",
                ],
                [
                    "The Egyptian pound fell sharply to around 50 to the dollar after the "
                    "central bank in {place} let the currency float and raised interest rates "
                    "by six percentage points.",
                    "Egypt's central bank allowed the pound to float and hiked rates by six "
                    "points, sending the currency down to about 50 per dollar in {place} "
                    "trading.",
                ],
            ),
            (
                [
                    "Egypt's urban inflation hits {n}%",
                    "Egyptian inflation rises to {n}% in February",
                    "Inflation in Egypt's cities climbs to {n} percent",
                ],
                [
                    "Annual urban consumer price inflation in Egypt rose to {n}% in February, "
                    "data from the statistics agency in {place} showed, driven by food "
                    "prices.",
                    "Egypt's annual urban inflation accelerated to {n}% in February on the "
                    "back of food prices, official statistics released in {place} showed.",
                ],
            ),
        ],
    },
    {
        "lang": "en",
        "slots": {"place": ["Beirut", "Beirut", "Beirut"], "n": ["12", "13", "11"]},
        "frames": [
            (
                [
                    "Lebanon's parliament fails for {n}th time to elect president",
                    "Lebanese MPs again fail to choose a president",
                    "No president for Lebanon after {n}th parliamentary vote",
                ],
                [
                    "Lebanon's parliament failed for the {n}th time to elect a president on "
                    "Wednesday after lawmakers walked out and the session lost its quorum in "
                    "the second round, in {place}.",
                    "Lawmakers in {place} walked out of the {n}th session to elect a Lebanese "
                    "president, breaking the quorum in the second round and leaving the post "
                    "vacant.",
                ],
            ),
            (
                [
                    "Former Lebanon central bank governor Riad Salameh arrested",
                    "Riad Salameh detained in Beirut over embezzlement probe",
                    "Lebanon's ex-central bank chief Salameh held by authorities",
                ],
                [
                    "Former Lebanese central bank governor Riad Salameh was detained in "
                    "{place} after questioning in an investigation into the alleged "
                    "embezzlement of public funds, judicial sources said.",
                    "Judicial sources said Riad Salameh, who led Lebanon's central bank for "
                    "three decades, was held in {place} following questioning over the "
                    "alleged embezzlement of public money.",
                ],
            ),
            (
                [
                    "Lebanese depositors storm banks demanding savings",
                    "Depositors raid banks in Beirut to recover frozen savings",
                    "Angry savers break into Lebanese bank branches",
                ],
                [
                    "Depositors stormed several bank branches in {place}, some carrying "
                    "replica guns, demanding access to savings frozen since Lebanon's "
                    "financial collapse in 2019.",
                    "Savers, some armed with fake guns, broke into bank branches in {place} "
                    "to demand deposits that have been frozen since the 2019 financial "
                    "collapse.",
                ],
            ),
        ],
    },
    {
        "lang": "en",
        "slots": {"place": ["Dhaka", "Gazipur", "Ashulia"], "n": ["12,500", "8,000", "10,400"]},
        "frames": [
            (
                [
                    "Garment workers protest in {place} demanding higher minimum wage",
                    "Bangladesh garment workers clash with police over pay",
                    "Thousands of garment workers take to streets in {place}",
                ],
                [
                    "Thousands of garment workers protested in {place}, demanding the monthly "
                    "minimum wage be raised to 23,000 taka; police fired tear gas to disperse "
                    "them.",
                    "Police used tear gas on thousands of garment workers rallying in {place} "
                    "for a monthly minimum wage of 23,000 taka.",
                ],
            ),
            (
                [
                    "Bangladesh sets garment minimum wage at {n} taka",
                    "Bangladesh raises garment workers' minimum pay to {n} taka",
                    "Unions reject new {n}-taka minimum wage for garment workers",
                ],
                [
                    "Bangladesh's wage board set the minimum monthly wage for garment workers "
                    "at {n} taka, well short of the 23,000 taka unions demanded; union "
                    "leaders in {place} rejected it.",
                    "The wage board fixed garment workers' monthly minimum at {n} taka, far "
                    "below the 23,000 taka sought by unions, whose leaders in {place} "
                    "rejected the decision.",
                ],
            ),
            (
                [
                    "Fire at garment factory in {place} kills workers",
                    "Deadly blaze tears through Bangladesh garment factory",
                    "Garment factory fire in {place}: workers trapped behind locked exits",
                ],
                [
                    "A fire at a garment factory in {place} killed several workers who were "
                    "trapped behind locked exits, fire officials said, reviving questions "
                    "about safety a decade after Rana Plaza.",
                    "Fire officials said workers died at a {place} garment factory after "
                    "being trapped by locked exits, raising fresh safety concerns ten years "
                    "after the Rana Plaza disaster.",
                ],
            ),
        ],
    },
    {
        "lang": "en",
        "slots": {
            "place": ["Marrakesh", "Al Haouz", "Taroudant"],
            "n": ["2,900", "2,100", "2,500"],
        },
        "frames": [
            (
                [
                    "Morocco earthquake death toll rises above {n}",
                    "Death toll from Morocco quake climbs to {n}",
                    "More than {n} dead in Morocco's strongest earthquake in decades",
                ],
                [
                    "The death toll from the earthquake that struck Morocco's High Atlas rose "
                    "above {n}, the interior ministry said, as rescuers dug through rubble in "
                    "villages near {place}.",
                    "Morocco's interior ministry said more than {n} people have died in the "
                    "High Atlas earthquake, with rescue teams still searching the rubble of "
                    "villages around {place}.",
                ],
            ),
            (
                [
                    "Morocco accepts aid from four countries after quake",
                    "Morocco limits foreign rescue help to four nations",
                    "Spain, UK, Qatar and UAE teams allowed into Morocco",
                ],
                [
                    "Morocco accepted rescue teams from Spain, Britain, Qatar and the United "
                    "Arab Emirates, saying a lack of coordination could be counterproductive, "
                    "as survivors near {place} waited for help.",
                    "Only Spain, Britain, Qatar and the UAE were allowed to send rescue teams, "
                    "Morocco said, arguing poor coordination could backfire while survivors "
                    "around {place} awaited aid.",
                ],
            ),
            (
                [
                    "Morocco unveils $11.7 billion plan to rebuild quake-hit region",
                    "Morocco announces five-year reconstruction programme after earthquake",
                    "Rebuilding plan for Atlas quake area to cost $11.7 billion",
                ],
                [
                    "Morocco announced an $11.7 billion five-year plan to rebuild homes and "
                    "infrastructure in the regions hit by the earthquake, including {place}, "
                    "benefiting 4.2 million people.",
                    "A five-year, $11.7 billion programme will rebuild homes and roads in "
                    "quake-stricken areas such as {place}, helping 4.2 million people, "
                    "Morocco said.",
                ],
            ),
        ],
    },
]

# Pairs written later, for the failure modes a black-box evaluation of the matcher found
# (the matcher's code was not read while writing them; see the module docstring).
# Each entry is one family: lang, kind, label and its pairs. For "one-party" a pair is
# (title, summary, party_a, party_b): both items are the same text with {p} filled in
# with a different named party (an organisation, a country, a city or a person). For the
# other kinds a pair is ((title_a, summary_a), (title_b, summary_b)), both sides written
# by hand. Families get the numbers after FAMILIES', in this order, and the same split
# rule (every third family number, counting from 2, is held out).
NEW_FAMILIES: list[dict] = [
    {  # 23: politics and diplomacy
        "lang": "ar",
        "kind": "one-party",
        "label": 0,
        "pairs": [
            (
                "الأردن و{p} يوقعان اتفاقية للربط الكهربائي بقدرة 1000 ميغاواط",
                "وقع الأردن و{p} في عمّان اتفاقية للربط الكهربائي تتيح تبادل ما يصل إلى 1000 "
                "ميغاواط، على أن تبدأ المرحلة الأولى من المشروع مطلع العام المقبل. وقال وزير "
                "الطاقة الأردني إن الاتفاقية تعزز أمن الطاقة في البلدين.",
                "العراق",
                "لبنان",
            ),
            (
                "{p} تعلن مقاطعة الانتخابات التشريعية المبكرة في الجزائر",
                "أعلنت {p} مقاطعة الانتخابات التشريعية المبكرة المقررة في يونيو المقبل، معتبرة أن "
                "الظروف السياسية الحالية لا تسمح بإجراء اقتراع نزيه وشفاف. وقال رئيس {p} في مؤتمر "
                "صحفي بالعاصمة إن القرار اتخذ بأغلبية أعضاء مجلس الشورى.",
                "حركة مجتمع السلم",
                "جبهة العدالة والتنمية",
            ),
            (
                "المحكمة الإدارية في تونس ترفض طعن {p} في قرار استبعاده من الرئاسيات",
                "رفضت المحكمة الإدارية في تونس الطعن الذي تقدم به المرشح {p} ضد قرار الهيئة العليا "
                "المستقلة للانتخابات استبعاده من السباق الرئاسي. وقال محامي {p} إن موكله سيلجأ إلى "
                "الجلسة العامة للمحكمة خلال الأيام المقبلة.",
                "منذر بن سالم",
                "لطفي الحامدي",
            ),
            (
                "رئيس الوزراء العراقي يصل إلى {p} لافتتاح مشاريع خدمية",
                "وصل رئيس الوزراء العراقي إلى {p} في زيارة تستمر يومين يفتتح خلالها عدداً من "
                "المشاريع الخدمية، بينها محطة لتحلية المياه ومستشفى بسعة 400 سرير. ومن المقرر أن "
                "يلتقي شيوخ العشائر ومسؤولي الحكومة المحلية في {p}.",
                "البصرة",
                "الموصل",
            ),
        ],
    },
    {  # 24: politics and diplomacy
        "lang": "en",
        "kind": "one-party",
        "label": 0,
        "pairs": [
            (
                "Saudi Arabia and {p} agree to restore diplomatic ties",
                "Saudi Arabia and {p} agreed to restore diplomatic relations and reopen their "
                "embassies within two months, according to a joint statement carried by the Saudi "
                "state news agency. The foreign ministers of Saudi Arabia and {p} are expected to "
                "meet next month.",
                "Iran",
                "Syria",
            ),
            (
                "Kenyan court bars {p} from Nairobi governor race",
                "Kenya's High Court barred {p} from contesting the Nairobi governor election, "
                "ruling that he had failed to prove he held a university degree as the law "
                "requires. Lawyers for {p} said they would appeal.",
                "Peter Otieno",
                "James Mwangi",
            ),
            (
                "South Africa's {p} to vote against budget over VAT hike",
                "The {p} said it would vote against the national budget in parliament next week, "
                "objecting to a planned two-percentage-point increase in value-added tax. A "
                "spokesperson for the {p} said the rise would hit poor households hardest.",
                "Democratic Alliance",
                "Economic Freedom Fighters",
            ),
            (
                "Floods kill two in {p} as heavy rain hits northern Morocco",
                "Two people died and dozens of homes were flooded in {p} after torrential rain "
                "swept across northern Morocco overnight, local authorities said. Schools in {p} "
                "will remain closed on Thursday.",
                "Tetouan",
                "Tangier",
            ),
        ],
    },
    {  # 25: labour and economy
        "lang": "ar",
        "kind": "one-verb",
        "label": 0,
        "pairs": [
            (
                (
                    "عمال غزل المحلة يبدأون إضراباً عن العمل للمطالبة بالحد الأدنى للأجور",
                    "بدأ آلاف العمال في شركة مصر للغزل والنسيج بالمحلة الكبرى إضراباً عن العمل "
                    "صباح الأحد، للمطالبة بتطبيق الحد الأدنى للأجور وصرف الحوافز المتأخرة. وقال "
                    "عمال إن الإضراب سيستمر حتى تستجيب الإدارة لمطالبهم.",
                ),
                (
                    "عمال غزل المحلة ينهون إضرابهم عن العمل بعد إقرار الحد الأدنى للأجور",
                    "أنهى آلاف العمال في شركة مصر للغزل والنسيج بالمحلة الكبرى إضرابهم عن العمل "
                    "صباح الأحد، بعد تعهد الإدارة بتطبيق الحد الأدنى للأجور وصرف الحوافز المتأخرة. "
                    "وقال عمال إن العمل استؤنف في جميع العنابر.",
                ),
            ),
            (
                (
                    "التضخم السنوي في مصر يرتفع إلى 26.4% في سبتمبر",
                    "ارتفع معدل التضخم السنوي لأسعار المستهلكين في المدن المصرية إلى 26.4 في المئة "
                    "في سبتمبر، مقارنة بـ25.2 في المئة في أغسطس، بحسب الجهاز المركزي للتعبئة "
                    "العامة والإحصاء، مدفوعاً بارتفاع أسعار الغذاء.",
                ),
                (
                    "التضخم السنوي في مصر يتراجع إلى 26.4% في سبتمبر",
                    "تراجع معدل التضخم السنوي لأسعار المستهلكين في المدن المصرية إلى 26.4 في المئة "
                    "في سبتمبر، مقارنة بـ27.6 في المئة في أغسطس، بحسب الجهاز المركزي للتعبئة "
                    "العامة والإحصاء، بفضل تباطؤ أسعار الغذاء.",
                ),
            ),
            (
                (
                    "مجلس النواب الأردني يقر مشروع قانون الضمان الاجتماعي المعدل",
                    "أقر مجلس النواب الأردني بالأغلبية مشروع القانون المعدل لقانون الضمان "
                    "الاجتماعي، الذي يرفع سن التقاعد المبكر ويقلص الاستثناءات، وأحاله إلى مجلس "
                    "الأعيان لاستكمال مراحله الدستورية.",
                ),
                (
                    "مجلس النواب الأردني يرد مشروع قانون الضمان الاجتماعي المعدل",
                    "رد مجلس النواب الأردني بالأغلبية مشروع القانون المعدل لقانون الضمان "
                    "الاجتماعي، الذي يرفع سن التقاعد المبكر ويقلص الاستثناءات، وأعاده إلى الحكومة "
                    "لإدخال تعديلات عليه.",
                ),
            ),
            (
                (
                    "ليبيا: استئناف الإنتاج في حقل الشرارة النفطي",
                    "أعلنت المؤسسة الوطنية للنفط في ليبيا استئناف الإنتاج في حقل الشرارة، أكبر "
                    "حقول البلاد، بعد توقف دام أسبوعين، مشيرة إلى أن الإنتاج سيعود تدريجياً إلى "
                    "نحو 300 ألف برميل يومياً.",
                ),
                (
                    "ليبيا: وقف الإنتاج في حقل الشرارة النفطي",
                    "أعلنت المؤسسة الوطنية للنفط في ليبيا وقف الإنتاج في حقل الشرارة، أكبر حقول "
                    "البلاد، وإعلان حالة القوة القاهرة، مشيرة إلى أن التوقف يكلف البلاد نحو 300 "
                    "ألف برميل يومياً.",
                ),
            ),
        ],
    },
    {  # 26: labour and economy
        "lang": "en",
        "kind": "one-verb",
        "label": 0,
        "pairs": [
            (
                (
                    "Junior doctors in England begin five-day strike over pay",
                    "Junior doctors in England began a five-day walkout on Friday, the British "
                    "Medical Association said, after talks with the government on a pay rise "
                    "failed to produce a new offer.",
                ),
                (
                    "Junior doctors in England call off five-day strike over pay",
                    "Junior doctors in England called off a five-day walkout planned for Friday, "
                    "the British Medical Association said, after talks with the government on a "
                    "pay rise produced a new offer.",
                ),
            ),
            (
                (
                    "Tunisia's unemployment rate rises to 16.4% in second quarter",
                    "Tunisia's unemployment rate rose to 16.4% in the second quarter from 16.2% in "
                    "the first, the National Statistics Institute said, with joblessness among "
                    "university graduates climbing to 23%.",
                ),
                (
                    "Tunisia's unemployment rate falls to 16.4% in second quarter",
                    "Tunisia's unemployment rate fell to 16.4% in the second quarter from 16.8% in "
                    "the first, the National Statistics Institute said, with joblessness among "
                    "university graduates easing to 23%.",
                ),
            ),
            (
                (
                    "Chile's Senate approves pension reform",
                    "Chile's Senate approved the government's pension reform by 31 votes to 16, "
                    "backing a new 7% employer contribution and sending the bill to the lower "
                    "house for a final vote.",
                ),
                (
                    "Chile's Senate rejects pension reform",
                    "Chile's Senate rejected the government's pension reform by 31 votes to 16, "
                    "blocking a new 7% employer contribution and sending the bill back to "
                    "committee.",
                ),
            ),
            (
                (
                    "Egypt's central bank raises interest rates by 200 basis points",
                    "The Central Bank of Egypt raised its overnight deposit rate by 200 basis "
                    "points to 27.25% on Thursday, saying it aimed to bring inflation back under "
                    "control.",
                ),
                (
                    "Egypt's central bank cuts interest rates by 200 basis points",
                    "The Central Bank of Egypt cut its overnight deposit rate by 200 basis points "
                    "to 25.25% on Thursday, saying inflation was now back under control.",
                ),
            ),
        ],
    },
    {  # 27: labour and politics
        "lang": "ar",
        "kind": "synonyms",
        "label": 1,
        "pairs": [
            (
                (
                    "إضراب عمال النظافة في بيروت",
                    "بدأ عمال جمع النفايات في بيروت إضراباً مفتوحاً احتجاجاً على تأخر رواتبهم "
                    "ثلاثة أشهر.",
                ),
                (
                    "عمال النظافة في بيروت يتوقفون عن العمل",
                    "توقف عمال النظافة في العاصمة اللبنانية عن العمل بسبب عدم صرف أجورهم منذ ثلاثة "
                    "أشهر.",
                ),
            ),
            (
                (
                    "رئيس الوزراء الكويتي يقدم استقالته",
                    "قدم رئيس الوزراء الكويتي استقالة حكومته إلى أمير البلاد بعد خلافات حادة مع "
                    "مجلس الأمة.",
                ),
                (
                    "تنحي رئيس مجلس الوزراء في الكويت",
                    "رفع رئيس مجلس الوزراء في الكويت كتاب استقالة الحكومة إلى الأمير إثر أزمة مع "
                    "البرلمان.",
                ),
            ),
            (
                (
                    "اعتقال نقابي بارز في الجزائر",
                    "اعتقلت الشرطة الجزائرية الأمين العام لنقابة مستقلة لعمال التربية من منزله فجر "
                    "الخميس.",
                ),
                (
                    "توقيف قيادي نقابي جزائري",
                    "أوقفت السلطات في الجزائر قيادياً في نقابة مستقلة لقطاع التعليم فجر الخميس في "
                    "منزله.",
                ),
            ),
            (
                (
                    "البرلمان الأردني يقر موازنة 2025",
                    "أقر البرلمان الأردني مشروع قانون الموازنة العامة لعام 2025 بعجز متوقع يبلغ "
                    "ملياري دينار.",
                ),
                (
                    "مجلس النواب الأردني يوافق على موازنة 2025",
                    "وافق مجلس النواب في الأردن بالأغلبية على الموازنة العامة للسنة المالية 2025.",
                ),
            ),
        ],
    },
    {  # 28: economy and labour
        "lang": "ar",
        "kind": "passive",
        "label": 1,
        "pairs": [
            (
                (
                    "الحكومة المصرية ترفع أسعار الوقود للمرة الثانية هذا العام",
                    "رفعت الحكومة المصرية أسعار البنزين والسولار بنسبة تصل إلى 15 في المئة، في "
                    "ثاني زيادة منذ بداية العام، ضمن برنامج الإصلاح المتفق عليه مع صندوق النقد "
                    "الدولي.",
                ),
                (
                    "رفع أسعار الوقود في مصر للمرة الثانية هذا العام بقرار حكومي",
                    "تقرر رفع أسعار البنزين والسولار في مصر بنسبة تصل إلى 15 في المئة بقرار من "
                    "لجنة التسعير الحكومية، في ثاني زيادة منذ بداية العام، ضمن برنامج الإصلاح مع "
                    "صندوق النقد الدولي.",
                ),
            ),
            (
                (
                    "الشرطة التونسية توقف 5 نقابيين في قابس",
                    "أوقفت الشرطة التونسية 5 نقابيين من الاتحاد الجهوي للشغل في قابس بعد وقفة "
                    "احتجاجية أمام المجمع الكيميائي.",
                ),
                (
                    "إيقاف 5 نقابيين في قابس من قبل الشرطة",
                    "تم إيقاف 5 نقابيين من الاتحاد الجهوي للشغل بقابس من قبل الشرطة، إثر وقفة "
                    "احتجاجية نظموها أمام المجمع الكيميائي.",
                ),
            ),
            (
                (
                    "الرئيس الجزائري يقر زيادة في أجور موظفي القطاع العام",
                    "أقر الرئيس الجزائري زيادة في أجور موظفي القطاع العام تتراوح بين 10 و15 في "
                    "المئة اعتباراً من يناير المقبل، خلال اجتماع لمجلس الوزراء.",
                ),
                (
                    "إقرار زيادة في رواتب موظفي القطاع العام بالجزائر بقرار رئاسي",
                    "تقررت زيادة رواتب موظفي القطاع العام في الجزائر بنسبة تتراوح بين 10 و15 في "
                    "المئة ابتداءً من يناير المقبل، بقرار من رئيس الجمهورية خلال اجتماع مجلس "
                    "الوزراء.",
                ),
            ),
            (
                (
                    "البنك المركزي الأردني يثبت أسعار الفائدة",
                    "أبقى البنك المركزي الأردني أسعار الفائدة الرئيسية دون تغيير عند 7.5 في المئة، "
                    "تماشياً مع قرار مجلس الاحتياطي الفيدرالي الأمريكي.",
                ),
                (
                    "تثبيت أسعار الفائدة في الأردن من قبل البنك المركزي",
                    "جرى تثبيت سعر الفائدة الرئيسي في الأردن عند 7.5 في المئة بقرار من البنك "
                    "المركزي، في خطوة تتماشى مع قرار الاحتياطي الفيدرالي الأمريكي.",
                ),
            ),
        ],
    },
    {  # 29: labour and politics
        "lang": "en",
        "kind": "synonyms",
        "label": 1,
        "pairs": [
            (
                (
                    "Nigerian doctors begin nationwide walkout",
                    "Resident doctors across Nigeria stopped work on Monday, demanding unpaid "
                    "allowances and better hospital equipment.",
                ),
                (
                    "Doctors in Nigeria go on strike",
                    "Nigeria's resident doctors launched an indefinite strike over arrears and "
                    "poor conditions in public hospitals.",
                ),
            ),
            (
                (
                    "Mongolia's PM quits after losing confidence vote",
                    "Mongolia's prime minister stepped down hours after failing to win a "
                    "parliamentary vote of confidence.",
                ),
                (
                    "Mongolian prime minister resigns after no-confidence defeat",
                    "Mongolia's premier resigned after lawmakers denied him the support he needed "
                    "to survive a confidence vote.",
                ),
            ),
            (
                (
                    "Malawians head to the polls",
                    "Voters in Malawi queued from dawn to choose a president and parliament amid "
                    "soaring prices and fuel shortages.",
                ),
                (
                    "Malawi holds presidential election",
                    "Malawi held general elections on Tuesday, with the economic crisis dominating "
                    "the presidential race.",
                ),
            ),
            (
                (
                    "Tunisian opposition leader jailed for 14 years",
                    "A Tunisian court sentenced an opposition politician to 14 years in prison on "
                    "charges of conspiring against state security.",
                ),
                (
                    "Tunisia imprisons opposition politician for 14 years",
                    "An opposition figure in Tunisia was given a 14-year prison term for allegedly "
                    "plotting against the state, his lawyers said.",
                ),
            ),
        ],
    },
    {  # 30: labour and economy
        "lang": "ar",
        "kind": "one-party",
        "label": 0,
        "pairs": [
            (
                "{p} يقاطع جولة الحوار الاجتماعي مع الحكومة المغربية",
                "قرر {p} مقاطعة جولة الحوار الاجتماعي التي دعت إليها الحكومة يوم الأربعاء، "
                "احتجاجاً على ما وصفه بتجاهل مطالب الزيادة العامة في الأجور ومراجعة مشروع قانون "
                "الإضراب. وقال الأمين العام إن المركزية النقابية لن تعود إلى طاولة الحوار دون "
                "ضمانات مكتوبة.",
                "الاتحاد المغربي للشغل",
                "الاتحاد العام للشغالين بالمغرب",
            ),
            (
                "شركة {p} تغلق مصنعها في طنجة وتسرح 800 عامل",
                "أعلنت شركة {p} إغلاق مصنعها في المنطقة الصناعية بطنجة وتسريح نحو 800 عامل وعاملة، "
                "بسبب تراجع الطلبيات من الأسواق الأوروبية. وطالبت النقابات إدارة شركة {p} بصرف "
                "تعويضات عادلة للعمال المسرحين.",
                "الأطلس للنسيج",
                "البوغاز للألبسة",
            ),
            (
                "وزارة {p} في الأردن تجمد التعيينات حتى نهاية العام",
                "قررت وزارة {p} في الأردن تجميد التعيينات الجديدة حتى نهاية العام الحالي، ضمن خطة "
                "حكومية لخفض الإنفاق الجاري بنسبة 5 في المئة. وأكد الناطق باسم وزارة {p} أن القرار "
                "لا يشمل العقود الموقعة قبل صدوره.",
                "التربية والتعليم",
                "الصحة",
            ),
            (
                "البنك الدولي يقرض {p} 500 مليون دولار لدعم الحماية الاجتماعية",
                "وافق مجلس المديرين التنفيذيين في البنك الدولي على قرض بقيمة 500 مليون دولار لصالح "
                "{p}، لدعم برامج الحماية الاجتماعية والتحويلات النقدية للأسر الأكثر فقراً. ويستفيد "
                "من البرنامج نحو مليوني أسرة في {p} على مدى 3 سنوات.",
                "مصر",
                "تونس",
            ),
        ],
    },
    {  # 31: the Americas
        "lang": "en",
        "kind": "accented",
        "label": 1,
        "pairs": [
            (
                (
                    "Montréal transit workers walk out, halting métro service",
                    "Maintenance workers at the Société de transport de Montréal began a strike on "
                    "Monday, halting métro service outside rush hours, their union said.",
                ),
                (
                    "Montreal transit workers walk out, halting metro service",
                    "Maintenance workers at the Societe de transport de Montreal began a strike "
                    "Monday, halting metro service outside rush hours, their union said.",
                ),
            ),
            (
                (
                    "Bogotá mayor orders water rationing as reservoirs run low",
                    "Bogotá Mayor Carlos Fernando Galán announced water rationing across the "
                    "Colombian capital, saying the Chingaza reservoir system had fallen to 16% of "
                    "capacity after months of drought.",
                ),
                (
                    "Bogota mayor orders water rationing as reservoirs run low",
                    "Bogota Mayor Carlos Fernando Galan announced water rationing across the "
                    "Colombian capital, saying the Chingaza reservoir system had fallen to 16 "
                    "percent of capacity after months of drought.",
                ),
            ),
            (
                (
                    "São Paulo metro workers strike against privatisation plans",
                    "Metro and train workers in São Paulo walked off the job on Tuesday in protest "
                    "against Governor Tarcísio de Freitas's plans to privatise state transport "
                    "companies, snarling traffic in Brazil's largest city.",
                ),
                (
                    "Sao Paulo metro workers strike against privatisation plans",
                    "Metro and train workers in Sao Paulo walked off the job Tuesday in protest "
                    "against Governor Tarcisio de Freitas' plans to privatise state transport "
                    "companies, snarling traffic in Brazil's largest city.",
                ),
            ),
            (
                (
                    "Mexican journalist José Martínez Ibáñez freed after kidnapping in Michoacán",
                    "José Martínez Ibáñez, a reporter for a local news site in Uruapan, was "
                    "released by his captors four days after being seized outside his home, "
                    "Michoacán state prosecutors said.",
                ),
                (
                    "Mexican journalist Jose Martinez Ibanez freed after Michoacan kidnapping",
                    "Jose Martinez Ibanez, a reporter for a local news site in Uruapan, was "
                    "released by his captors four days after he was seized outside his home, "
                    "Michoacan state prosecutors said.",
                ),
            ),
        ],
    },
    {  # 32: politics, courts and women's rights
        "lang": "ar",
        "kind": "passive",
        "label": 1,
        "pairs": [
            (
                (
                    "قوات الأمن العراقية تفرق اعتصاماً في الناصرية بالقوة",
                    "فرقت قوات الأمن العراقية بالقوة اعتصاماً لخريجين عاطلين عن العمل أمام مبنى "
                    "المحافظة في الناصرية، واعتقلت 12 منهم.",
                ),
                (
                    "تفريق اعتصام الناصرية بالقوة على يد قوات الأمن",
                    "جرى تفريق اعتصام الخريجين العاطلين عن العمل أمام مبنى محافظة الناصرية بالقوة "
                    "من قبل قوات الأمن، واعتقال 12 منهم.",
                ),
            ),
            (
                (
                    "محكمة مصرية تقضي بسجن ناشط حقوقي 5 سنوات",
                    "قضت محكمة جنح أمن الدولة طوارئ في القاهرة بسجن ناشط حقوقي 5 سنوات بتهمة نشر "
                    "أخبار كاذبة، في حكم غير قابل للطعن.",
                ),
                (
                    "صدور حكم بسجن ناشط حقوقي مصري 5 سنوات",
                    "صدر حكم بسجن ناشط حقوقي مصري 5 سنوات عن محكمة جنح أمن الدولة طوارئ بالقاهرة "
                    "بتهمة نشر أخبار كاذبة، وهو حكم غير قابل للطعن.",
                ),
            ),
            (
                (
                    "مجلس النواب المغربي يصادق على قانون الإضراب",
                    "صادق مجلس النواب المغربي على مشروع القانون التنظيمي للإضراب بأغلبية 124 "
                    "صوتاً، رغم معارضة النقابات التي دعت إلى إضراب عام.",
                ),
                (
                    "المصادقة على قانون الإضراب في مجلس النواب المغربي",
                    "تمت المصادقة على مشروع القانون التنظيمي للإضراب في مجلس النواب المغربي "
                    "بأغلبية 124 صوتاً، رغم معارضة النقابات التي دعت إلى إضراب عام.",
                ),
            ),
            (
                (
                    "الرئيس التونسي يعين امرأة على رأس الحكومة",
                    "عين الرئيس التونسي قيس سعيد الأكاديمية نجلاء بودن رمضان رئيسة للحكومة، لتصبح "
                    "أول امرأة تتولى هذا المنصب في تونس والعالم العربي.",
                ),
                (
                    "تعيين امرأة على رأس الحكومة التونسية بأمر رئاسي",
                    "تم تعيين الأكاديمية نجلاء بودن رمضان رئيسة للحكومة التونسية بأمر من الرئيس "
                    "قيس سعيد، لتكون أول امرأة تشغل هذا المنصب في تونس والعالم العربي.",
                ),
            ),
        ],
    },
    {  # 33: labour and economy
        "lang": "en",
        "kind": "one-party",
        "label": 0,
        "pairs": [
            (
                "Argentina's {p} calls general strike over labour reform",
                "Argentina's {p} union federation called a 24-hour general strike for next "
                "Wednesday against the government's labour reform bill, which it says would weaken "
                "collective bargaining and make it easier to fire workers. Transport unions are "
                "expected to join the {p} action.",
                "CGT",
                "CTA",
            ),
            (
                "Nigerian regulator fines {p} $12 million over SIM registration",
                "Nigeria's communications regulator fined {p} $12 million for failing to comply "
                "with rules on registering SIM cards, the agency said on Tuesday. {p} said it was "
                "studying the decision and would respond in due course.",
                "MTN",
                "Airtel",
            ),
            (
                "Kuwait's {p} ministry suspends hiring of expatriates",
                "Kuwait's {p} ministry suspended the recruitment of expatriate staff until further "
                "notice, part of a policy to replace foreign workers with Kuwaiti nationals, the "
                "ministry said in a statement. The {p} ministry said existing contracts would be "
                "honoured.",
                "health",
                "education",
            ),
            (
                "IMF reaches staff-level agreement with {p} on $1.2 billion loan review",
                "The International Monetary Fund said it had reached a staff-level agreement with "
                "{p} on the next review of its loan programme, which would unlock about $1.2 "
                "billion once approved by the board. The IMF said {p} had made progress on revenue "
                "reforms.",
                "Sri Lanka",
                "Pakistan",
            ),
        ],
    },
    {  # 34: labour
        "lang": "en",
        "kind": "british-american",
        "label": 1,
        "pairs": [
            (
                (
                    "Nigerian labour unions organise strike over electricity privatisation",
                    "Nigeria's main labour unions said they would organise a nationwide strike "
                    "from Monday in protest against the privatisation of state electricity "
                    "distribution companies and a sharp rise in tariffs.",
                ),
                (
                    "Nigerian labor unions organize strike over electricity privatization - "
                    "Reuters",
                    "Nigeria's main labor unions said they would organize a nationwide strike "
                    "starting Monday in protest against the privatization of state electricity "
                    "distribution companies and a sharp rise in tariffs.",
                ),
            ),
            (
                (
                    "Kenya's labour ministry launches programme to train health workers for jobs "
                    "abroad",
                    "Kenya's labour ministry launched a programme to train 10,000 nurses and care "
                    "workers for jobs in Europe and the Gulf, in partnership with the "
                    "International Labour Organization.",
                ),
                (
                    "Kenya's labor ministry launches program to train health workers for jobs "
                    "abroad",
                    "Kenya's labor ministry launched a program to train 10,000 nurses and care "
                    "workers for jobs in Europe and the Gulf, in partnership with the "
                    "International Labour Organization.",
                ),
            ),
            (
                (
                    "Argentine unions criticise Milei's labour reform as favouring employers",
                    "Argentina's largest unions criticised President Javier Milei's labour reform, "
                    "saying the changes to severance pay and collective bargaining favour "
                    "employers, and announced a march on Congress.",
                ),
                (
                    "Argentine unions criticize Milei's labor reform as favoring employers",
                    "Argentina's largest unions criticized President Javier Milei's labor reform, "
                    "saying changes to severance pay and collective bargaining favor employers, "
                    "and announced a march on Congress.",
                ),
            ),
            (
                (
                    "Filipino seafarers stranded after shipowner defaults on wages, labour centre "
                    "says",
                    "Twenty-two Filipino seafarers have been stranded aboard a cargo ship off the "
                    "coast of Oman for four months without pay, a Manila-based labour centre said. "
                    "The crew travelled from Manila in January.",
                ),
                (
                    "Filipino seafarers stranded after shipowner defaults on wages, labor center "
                    "says",
                    "Twenty-two Filipino seafarers have been stranded on a cargo ship off Oman for "
                    "four months without pay, a Manila-based labor center said. The crew traveled "
                    "from Manila in January.",
                ),
            ),
        ],
    },
    {  # 35: politics and elections
        "lang": "ar",
        "kind": "one-verb",
        "label": 0,
        "pairs": [
            (
                (
                    "الكويت: تعيين أنور الصالح في منصب وزير المالية",
                    "صدر مرسوم أميري بتعيين أنور الصالح في منصب وزير المالية في الحكومة الكويتية، "
                    "وذلك في ظل خلافات مع مجلس الأمة حول الميزانية العامة للدولة.",
                ),
                (
                    "الكويت: استقالة أنور الصالح من منصب وزير المالية",
                    "قدم أنور الصالح استقالته من منصب وزير المالية في الحكومة الكويتية، وذلك في ظل "
                    "خلافات مع مجلس الأمة حول الميزانية العامة للدولة.",
                ),
            ),
            (
                (
                    "مرشح حزب العدالة والتنمية يفوز برئاسة بلدية إسطنبول",
                    "فاز مرشح حزب العدالة والتنمية الحاكم برئاسة بلدية إسطنبول بفارق نحو 4 نقاط عن "
                    "منافسه، وفق النتائج الأولية التي أعلنتها الهيئة العليا للانتخابات بعد فرز "
                    "جميع الصناديق.",
                ),
                (
                    "مرشح حزب العدالة والتنمية يخسر رئاسة بلدية إسطنبول",
                    "خسر مرشح حزب العدالة والتنمية الحاكم رئاسة بلدية إسطنبول بفارق نحو 4 نقاط "
                    "أمام منافسه، وفق النتائج الأولية التي أعلنتها الهيئة العليا للانتخابات بعد "
                    "فرز جميع الصناديق.",
                ),
            ),
            (
                (
                    "الجزائر: الإفراج عن الصحفي مراد بوعلام",
                    "أفرجت السلطات الجزائرية عن الصحفي مراد بوعلام مساء الثلاثاء، بعد أن قضى 10 "
                    "أشهر في السجن بتهمة المساس بالوحدة الوطنية، بحسب ما أفاد محاميه.",
                ),
                (
                    "الجزائر: اعتقال الصحفي مراد بوعلام",
                    "اعتقلت السلطات الجزائرية الصحفي مراد بوعلام مساء الثلاثاء، ووجهت إليه تهمة "
                    "المساس بالوحدة الوطنية، بحسب ما أفاد محاميه.",
                ),
            ),
            (
                (
                    "البرلمان اللبناني ينتخب رئيساً جديداً للجمهورية",
                    "انتخب مجلس النواب اللبناني في جلسته الثانية عشرة رئيساً جديداً للجمهورية "
                    "بأغلبية 86 صوتاً، منهياً شغوراً رئاسياً استمر أكثر من عامين.",
                ),
                (
                    "البرلمان اللبناني يفشل في انتخاب رئيس جديد للجمهورية",
                    "فشل مجلس النواب اللبناني في جلسته الثانية عشرة في انتخاب رئيس جديد للجمهورية "
                    "بأغلبية 86 صوتاً، ممدداً شغوراً رئاسياً استمر أكثر من عامين.",
                ),
            ),
        ],
    },
    {  # 36: politics and elections
        "lang": "en",
        "kind": "one-verb",
        "label": 0,
        "pairs": [
            (
                (
                    "Omar Haddadin resigns as Jordan's prime minister",
                    "King Abdullah accepted the resignation of Prime Minister Omar Haddadin and "
                    "asked him to stay on in a caretaker capacity, the royal court said, days "
                    "after parliamentary elections.",
                ),
                (
                    "Omar Haddadin appointed as Jordan's prime minister",
                    "King Abdullah appointed Omar Haddadin as prime minister and asked him to form "
                    "a new government, the royal court said, days after parliamentary elections.",
                ),
            ),
            (
                (
                    "Senegal's ruling coalition wins parliamentary majority",
                    "Senegal's ruling coalition won a majority in the National Assembly, taking "
                    "130 of 165 seats in the snap legislative election, provisional results "
                    "showed.",
                ),
                (
                    "Senegal's ruling coalition loses parliamentary majority",
                    "Senegal's ruling coalition lost its majority in the National Assembly, taking "
                    "only 82 of 165 seats in the snap legislative election, provisional results "
                    "showed.",
                ),
            ),
            (
                (
                    "Iraq imposes nationwide curfew after clashes in Baghdad",
                    "Iraq's military imposed a nationwide curfew from 3:30 p.m. on Monday after "
                    "supporters of a Shi'ite cleric stormed the government palace in Baghdad's "
                    "Green Zone.",
                ),
                (
                    "Iraq lifts nationwide curfew after clashes in Baghdad",
                    "Iraq's military lifted the nationwide curfew on Tuesday after supporters of a "
                    "Shi'ite cleric withdrew from the government palace in Baghdad's Green Zone.",
                ),
            ),
            (
                (
                    "Libya postpones December 24 presidential election",
                    "Libya's electoral commission postponed the presidential election scheduled "
                    "for December 24, citing unresolved legal disputes over candidates, and "
                    "proposed a new date a month later.",
                ),
                (
                    "Libya confirms December 24 presidential election",
                    "Libya's electoral commission confirmed that the presidential election "
                    "scheduled for December 24 would go ahead despite unresolved legal disputes "
                    "over candidates, and published the final list.",
                ),
            ),
        ],
    },
    {  # 37: labour and economy
        "lang": "en",
        "kind": "passive",
        "label": 1,
        "pairs": [
            (
                (
                    "South African police arrest 20 striking platinum miners",
                    "South African police arrested 20 striking workers at a platinum mine near "
                    "Rustenburg after they blocked the main road to the shaft, a police "
                    "spokesperson said.",
                ),
                (
                    "20 striking platinum miners arrested by South African police",
                    "Twenty striking workers at a platinum mine near Rustenburg were arrested by "
                    "South African police after blocking the main road to the shaft, a police "
                    "spokesperson said.",
                ),
            ),
            (
                (
                    "Egypt quadruples price of subsidised bread",
                    "Egypt's government raised the price of subsidised bread fourfold to 20 "
                    "piastres a loaf, the first increase in more than three decades, the prime "
                    "minister said.",
                ),
                (
                    "Price of subsidised bread quadrupled in Egypt",
                    "The price of subsidised bread in Egypt has been raised fourfold to 20 "
                    "piastres a loaf by the government, the first increase in more than three "
                    "decades, the prime minister said.",
                ),
            ),
            (
                (
                    "Kenya's parliament passes controversial finance bill",
                    "Kenyan lawmakers passed the government's finance bill, which raises taxes on "
                    "bread, fuel and mobile money transfers, despite protests outside parliament "
                    "in Nairobi.",
                ),
                (
                    "Controversial finance bill passed by Kenyan parliament",
                    "The finance bill, which raises taxes on bread, fuel and mobile money "
                    "transfers, was passed by Kenyan lawmakers despite protests outside parliament "
                    "in Nairobi.",
                ),
            ),
            (
                (
                    "Bangladesh factory owners shut 150 garment plants amid wage protests",
                    "Factory owners in Bangladesh closed about 150 garment plants in Ashulia and "
                    "Gazipur after workers demanding a higher minimum wage clashed with police.",
                ),
                (
                    "150 garment plants shut by owners amid Bangladesh wage protests",
                    "About 150 garment plants in Ashulia and Gazipur were closed by their owners "
                    "after workers demanding a higher minimum wage clashed with police.",
                ),
            ),
        ],
    },
    {  # 38: politics and defence
        "lang": "en",
        "kind": "british-american",
        "label": 1,
        "pairs": [
            (
                (
                    "UK defence spending to rise to 2.5% of GDP, Starmer says",
                    "Britain will raise defence spending to 2.5% of gross domestic product by "
                    "2027, Prime Minister Keir Starmer said, funding the increase by cutting the "
                    "overseas aid budget.",
                ),
                (
                    "UK defense spending to rise to 2.5% of GDP, Starmer says | AP News",
                    "Britain will raise defense spending to 2.5% of gross domestic product by "
                    "2027, Prime Minister Keir Starmer said, paying for the increase by cutting "
                    "the overseas aid budget.",
                ),
            ),
            (
                (
                    "Opposition criticises Egypt's programme to privatise state firms",
                    "Opposition parties in Egypt criticised the government's programme to sell "
                    "stakes in 35 state-owned companies, saying privatisation in a time of crisis "
                    "would favour Gulf investors.",
                ),
                (
                    "Opposition criticizes Egypt's program to privatize state firms",
                    "Opposition parties in Egypt criticized the government's program to sell "
                    "stakes in 35 state-owned companies, saying privatization during a crisis "
                    "would favor Gulf investors.",
                ),
            ),
            (
                (
                    "Senegal's new president vows to reorganise defence forces",
                    "Senegal's President Bassirou Diomaye Faye pledged to reorganise the defence "
                    "and security forces and to analyse the country's military cooperation "
                    "agreements, in a speech marking independence day.",
                ),
                (
                    "Senegal's new president vows to reorganize defense forces",
                    "Senegal's President Bassirou Diomaye Faye pledged to reorganize the defense "
                    "and security forces and to analyze the country's military cooperation "
                    "agreements, in a speech marking independence day.",
                ),
            ),
        ],
    },
    {  # 39: protests and rights
        "lang": "en",
        "kind": "synonyms",
        "label": 1,
        "pairs": [
            (
                (
                    "Police fire tear gas at Nairobi protest",
                    "Kenyan police fired tear gas at hundreds of people protesting against new "
                    "taxes in central Nairobi.",
                ),
                (
                    "Kenyan police teargas demonstrators in capital",
                    "Officers used teargas on Tuesday to disperse a demonstration against the "
                    "finance bill in Kenya's capital.",
                ),
            ),
            (
                (
                    "Five killed in Bangladesh protest clashes",
                    "At least five people were killed when student protesters clashed with police "
                    "and ruling party supporters in Dhaka.",
                ),
                (
                    "Bangladesh: 5 dead as demonstrators battle police",
                    "Clashes between police and students demonstrating over job quotas left at "
                    "least five dead in the Bangladeshi capital.",
                ),
            ),
            (
                (
                    "Iranian rapper jailed over protest songs",
                    "An Iranian court sentenced a rapper to six years in prison over songs "
                    "supporting the women-led protest movement.",
                ),
                (
                    "Iran imprisons rapper for songs backing demonstrations",
                    "A rapper in Iran was given a six-year jail term for music that backed the "
                    "2022 demonstrations.",
                ),
            ),
            (
                (
                    "Georgians protest against 'foreign agents' law",
                    "Thousands of Georgians protested outside parliament in Tbilisi against a bill "
                    "critics liken to Russian legislation on foreign agents.",
                ),
                (
                    "Tbilisi crowds rally against foreign influence bill",
                    "Thousands rallied in the Georgian capital against a draft law that opponents "
                    "say mirrors a Kremlin-style foreign agents act.",
                ),
            ),
        ],
    },
    {  # 40: politics, courts, women's rights and secularism
        "lang": "en",
        "kind": "passive",
        "label": 1,
        "pairs": [
            (
                (
                    "Turkish court jails Istanbul mayor pending trial",
                    "A Turkish court ordered Istanbul's mayor to be jailed pending trial on "
                    "corruption charges, a move that sparked the largest street protests in the "
                    "country in a decade.",
                ),
                (
                    "Istanbul mayor jailed pending trial by Turkish court",
                    "Istanbul's mayor was ordered jailed pending trial on corruption charges by a "
                    "Turkish court, a move that sparked the largest street protests in the country "
                    "in a decade.",
                ),
            ),
            (
                (
                    "French lawmakers enshrine abortion right in constitution",
                    "French lawmakers voted 780 to 72 to enshrine the right to abortion in the "
                    "constitution, making France the first country to explicitly guarantee it.",
                ),
                (
                    "Abortion right enshrined in French constitution by lawmakers",
                    "The right to abortion was enshrined in France's constitution by lawmakers in "
                    "a 780-72 vote, making it the first country to explicitly guarantee it.",
                ),
            ),
            (
                (
                    "Senegal's Constitutional Council overturns election delay",
                    "Senegal's Constitutional Council overturned a parliamentary vote to postpone "
                    "the presidential election to December, ruling the delay unconstitutional.",
                ),
                (
                    "Election delay overturned by Senegal's Constitutional Council",
                    "A parliamentary vote to postpone Senegal's presidential election to December "
                    "was overturned by the Constitutional Council, which ruled the delay "
                    "unconstitutional.",
                ),
            ),
            (
                (
                    "Indian court upholds ban on hijab in Karnataka classrooms",
                    "The Karnataka High Court upheld a state ban on wearing the hijab in "
                    "classrooms, ruling that it is not an essential practice of Islam.",
                ),
                (
                    "Ban on hijab in Karnataka classrooms upheld by Indian court",
                    "A state ban on wearing the hijab in classrooms was upheld by the Karnataka "
                    "High Court, which ruled that it is not an essential practice of Islam.",
                ),
            ),
        ],
    },
    {  # 41: Europe and the Caribbean
        "lang": "en",
        "kind": "accented",
        "label": 1,
        "pairs": [
            (
                (
                    "Zürich voters back one of world's highest minimum wages",
                    "Voters in the city of Zürich approved a minimum wage of 23.90 Swiss francs an "
                    "hour in a referendum on Sunday, with 69% in favour, making it one of the "
                    "highest in the world.",
                ),
                (
                    "Zurich voters back one of world's highest minimum wages",
                    "Voters in the city of Zurich approved a minimum wage of 23.90 Swiss francs an "
                    "hour in a referendum on Sunday, with 69% in favour - one of the highest in "
                    "the world.",
                ),
            ),
            (
                (
                    "Gdańsk shipyard workers protest over unpaid wages",
                    "Several hundred workers at the Gdańsk shipyard, birthplace of the Solidarity "
                    "movement, marched to the regional governor's office demanding two months of "
                    "unpaid wages, union leaders said.",
                ),
                (
                    "Gdansk shipyard workers protest over unpaid wages",
                    "Several hundred workers at the Gdansk shipyard - birthplace of the Solidarity "
                    "movement - marched to the regional governor's office demanding two months of "
                    "unpaid wages, union leaders said.",
                ),
            ),
            (
                (
                    "Düsseldorf court acquits climate activist Lena Müller",
                    "A court in Düsseldorf acquitted climate activist Lena Müller of trespass over "
                    "a protest at the Garzweiler coal mine, ruling that her actions were covered "
                    "by the right to demonstrate.",
                ),
                (
                    "Duesseldorf court acquits climate activist Lena Mueller",
                    "A court in Duesseldorf acquitted climate activist Lena Mueller of trespass "
                    "over a protest at the Garzweiler coal mine, ruling her actions were covered "
                    "by the right to demonstrate.",
                ),
            ),
            (
                (
                    "Curaçao votes in snap parliamentary election",
                    "Voters in Curaçao, a self-governing island in the Kingdom of the Netherlands, "
                    "cast ballots in a snap parliamentary election called after the coalition "
                    "government lost its majority in the Staten.",
                ),
                (
                    "Curacao votes in snap parliamentary election",
                    "Voters in Curacao, a self-governing island within the Kingdom of the "
                    "Netherlands, cast ballots in a snap parliamentary election called after the "
                    "coalition government lost its majority in the Staten.",
                ),
            ),
        ],
    },
    {  # 42: women's rights, protests and diplomacy
        "lang": "ar",
        "kind": "one-party",
        "label": 0,
        "pairs": [
            (
                "النيابة المصرية تقرر حبس الناشطة {p} 15 يوماً على ذمة التحقيق",
                "قررت نيابة أمن الدولة العليا في مصر حبس الناشطة النسوية {p} 15 يوماً على ذمة "
                "التحقيق، بتهمة نشر أخبار كاذبة والانضمام إلى جماعة محظورة. وقالت منظمات حقوقية إن "
                "{p} اعتقلت من منزلها في القاهرة فجر الاثنين.",
                "سارة عبد الحميد",
                "نهى فاروق",
            ),
            (
                "مسيرة احتجاجية في {p} للمطالبة بمستشفى جامعي وفرص عمل",
                "خرج آلاف من سكان {p} في مسيرة احتجاجية يوم الأحد للمطالبة بإنشاء مستشفى جامعي "
                "وتوفير فرص عمل للشباب، ورفع المشاركون شعارات تندد بالتهميش. وقالت السلطات المحلية "
                "في {p} إن المسيرة مرت دون تسجيل أي حوادث.",
                "الحسيمة",
                "جرادة",
            ),
            (
                "{p} تطالب بمنع تزويج القاصرات في مدونة الأسرة الجديدة",
                "طالبت {p} بمنع تزويج القاصرات بشكل نهائي في مشروع مدونة الأسرة الجديدة، وبإقرار "
                "المساواة في الإرث بين النساء والرجال. وقدمت {p} مذكرة تضم 40 مقترحاً إلى الهيئة "
                "المكلفة بمراجعة المدونة.",
                "الجمعية الديمقراطية لنساء المغرب",
                "فيدرالية رابطة حقوق النساء",
            ),
            (
                "الجزائر تستدعي سفيرها لدى {p} للتشاور",
                "أعلنت وزارة الخارجية الجزائرية استدعاء سفيرها لدى {p} للتشاور بأثر فوري، احتجاجاً "
                "على ما وصفته بتصريحات عدائية صدرت عن مسؤولين حكوميين في {p}. وأكد البيان أن "
                "الجزائر تحتفظ بحقها في اتخاذ إجراءات أخرى.",
                "فرنسا",
                "إسبانيا",
            ),
        ],
    },
    {  # 43: courts, women's rights, protests and secularism
        "lang": "ar",
        "kind": "one-verb",
        "label": 0,
        "pairs": [
            (
                (
                    "محكمة تونسية تدين المحامية سنية الدريدي بتهمة نشر أخبار زائفة",
                    "قضت المحكمة الابتدائية بتونس بسجن المحامية سنية الدريدي عاماً واحداً بتهمة "
                    "نشر أخبار زائفة بموجب المرسوم 54، على خلفية تصريحات إذاعية انتقدت فيها "
                    "الأوضاع في البلاد.",
                ),
                (
                    "محكمة تونسية تبرئ المحامية سنية الدريدي من تهمة نشر أخبار زائفة",
                    "قضت المحكمة الابتدائية بتونس ببراءة المحامية سنية الدريدي من تهمة نشر أخبار "
                    "زائفة بموجب المرسوم 54، على خلفية تصريحات إذاعية انتقدت فيها الأوضاع في "
                    "البلاد.",
                ),
            ),
            (
                (
                    "هيئة الانتخابات في تونس تفتح باب الترشح للانتخابات البلدية",
                    "فتحت الهيئة العليا المستقلة للانتخابات في تونس باب الترشح للانتخابات البلدية، "
                    "على أن تستمر فترة قبول الملفات 7 أيام، وسط دعوات من أحزاب المعارضة إلى "
                    "المقاطعة.",
                ),
                (
                    "هيئة الانتخابات في تونس تغلق باب الترشح للانتخابات البلدية",
                    "أغلقت الهيئة العليا المستقلة للانتخابات في تونس باب الترشح للانتخابات البلدية "
                    "بعد فترة قبول ملفات دامت 7 أيام، وسط دعوات من أحزاب المعارضة إلى المقاطعة.",
                ),
            ),
            (
                (
                    "مجلس النواب العراقي يقر تعديل قانون الأحوال الشخصية",
                    "أقر مجلس النواب العراقي تعديل قانون الأحوال الشخصية الذي يتيح للمواطنين "
                    "اختيار المذهب الذي تخضع له شؤون الأسرة، رغم اعتراض منظمات نسوية حذرت من أنه "
                    "يفتح الباب أمام تزويج القاصرات.",
                ),
                (
                    "مجلس النواب العراقي يرفض تعديل قانون الأحوال الشخصية",
                    "رفض مجلس النواب العراقي تعديل قانون الأحوال الشخصية الذي يتيح للمواطنين "
                    "اختيار المذهب الذي تخضع له شؤون الأسرة، بعد اعتراض منظمات نسوية حذرت من أنه "
                    "يفتح الباب أمام تزويج القاصرات.",
                ),
            ),
            (
                (
                    "الأساتذة المتعاقدون في المغرب يبدأون اعتصاماً مفتوحاً أمام البرلمان",
                    "بدأ مئات الأساتذة المتعاقدين اعتصاماً مفتوحاً أمام مقر البرلمان في الرباط "
                    "للمطالبة بإدماجهم في الوظيفة العمومية، وسط انتشار أمني كثيف.",
                ),
                (
                    "الأساتذة المتعاقدون في المغرب يعلقون اعتصامهم المفتوح أمام البرلمان",
                    "علق مئات الأساتذة المتعاقدين اعتصامهم المفتوح أمام مقر البرلمان في الرباط بعد "
                    "وعود حكومية بإدماجهم في الوظيفة العمومية، وسط انتشار أمني كثيف.",
                ),
            ),
            (
                (
                    "مجلس الدولة الفرنسي يؤيد حظر العباءة في المدارس الحكومية",
                    "رفض مجلس الدولة الفرنسي، أعلى محكمة إدارية في البلاد، طلباً لتعليق قرار حظر "
                    "ارتداء العباءة في المدارس الحكومية، معتبراً أنه لا يمس بشكل خطير بالحريات "
                    "الأساسية.",
                ),
                (
                    "مجلس الدولة الفرنسي يعلق حظر العباءة في المدارس الحكومية",
                    "قبل مجلس الدولة الفرنسي، أعلى محكمة إدارية في البلاد، طلباً لتعليق قرار حظر "
                    "ارتداء العباءة في المدارس الحكومية، معتبراً أنه يمس بشكل خطير بالحريات "
                    "الأساسية.",
                ),
            ),
        ],
    },
    {  # 44: protests, courts, women's rights and elections
        "lang": "ar",
        "kind": "synonyms",
        "label": 1,
        "pairs": [
            (
                (
                    "مقتل 3 متظاهرين في الخرطوم",
                    "قتل 3 متظاهرين برصاص قوات الأمن خلال احتجاجات في الخرطوم، بحسب لجنة أطباء "
                    "السودان المركزية.",
                ),
                (
                    "مصرع 3 محتجين بالرصاص في العاصمة السودانية",
                    "أعلنت لجنة الأطباء السودانية وفاة 3 محتجين بالرصاص الحي خلال تظاهرات في "
                    "العاصمة.",
                ),
            ),
            (
                (
                    "تظاهرة نسائية في تونس للمطالبة بالمساواة",
                    "تظاهرت مئات النساء في شارع الحبيب بورقيبة بتونس للمطالبة بالمساواة في الإرث "
                    "ووقف العنف.",
                ),
                (
                    "مسيرة في تونس دفاعاً عن حقوق النساء",
                    "شاركت مئات التونسيات في مسيرة وسط العاصمة دفاعاً عن المساواة في الميراث "
                    "ومناهضة العنف ضد المرأة.",
                ),
            ),
            (
                (
                    "سجن صحفي مغربي 3 سنوات",
                    "قضت محكمة في الدار البيضاء بسجن صحفي مغربي 3 سنوات بتهمة التشهير بمسؤول "
                    "حكومي.",
                ),
                (
                    "الحكم بحبس صحفي مغربي 3 أعوام",
                    "أصدرت محكمة الدار البيضاء حكماً بحبس صحفي 3 أعوام في قضية تشهير رفعها وزير "
                    "ضده.",
                ),
            ),
            (
                (
                    "الحكومة العراقية تعلن عطلة رسمية الأحد",
                    "أعلنت الحكومة العراقية يوم الأحد عطلة رسمية في جميع المؤسسات بمناسبة إجراء "
                    "الانتخابات المحلية.",
                ),
                (
                    "مجلس الوزراء العراقي يقرر تعطيل الدوام الأحد",
                    "قرر مجلس الوزراء في العراق تعطيل الدوام الرسمي يوم الأحد لتسهيل مشاركة "
                    "المواطنين في الاقتراع.",
                ),
            ),
        ],
    },
    {  # 45: women's rights, economy and courts
        "lang": "en",
        "kind": "british-american",
        "label": 1,
        "pairs": [
            (
                (
                    "Women's rights organisations in Morocco criticise draft family code",
                    "A coalition of women's rights organisations criticised the proposed revisions "
                    "to Morocco's family code, saying they did not go far enough on inheritance "
                    "and were unfavourable to divorced mothers.",
                ),
                (
                    "Women's rights organizations in Morocco criticize draft family code",
                    "A coalition of women's rights organizations criticized the proposed revisions "
                    "to Morocco's family code, saying they did not go far enough on inheritance "
                    "and were unfavorable to divorced mothers.",
                ),
            ),
            (
                (
                    "Pakistan's privatisation programme stalls as PIA sale draws a single bid",
                    "Pakistan's privatisation programme suffered a setback after the sale of a 60% "
                    "stake in Pakistan International Airlines drew only one bid, well below the "
                    "government's minimum price, the privatisation ministry said.",
                ),
                (
                    "Pakistan's privatization program stalls as PIA sale draws single bid - "
                    "Reuters",
                    "Pakistan's privatization program suffered a setback after the sale of a 60% "
                    "stake in Pakistan International Airlines drew only one bid, far below the "
                    "government's minimum price, the privatization ministry said.",
                ),
            ),
            (
                (
                    "Brazil's top court rules in favour of indigenous groups in land case",
                    "Brazil's Supreme Court ruled in favour of indigenous groups, rejecting the "
                    "argument that they can only claim land they occupied in 1988 and setting a "
                    "precedent for hundreds of pending cases across the centre-west.",
                ),
                (
                    "Brazil's top court rules in favor of indigenous groups in land case",
                    "Brazil's Supreme Court ruled in favor of indigenous groups, rejecting the "
                    "argument that they can claim only land they occupied in 1988 and setting a "
                    "precedent for hundreds of pending cases across the center-west.",
                ),
            ),
        ],
    },
    {  # 46: courts, rights, protests and secularism
        "lang": "en",
        "kind": "one-verb",
        "label": 0,
        "pairs": [
            (
                (
                    "Turkey detains head of Istanbul Bar Association",
                    "Turkish authorities detained the head of the Istanbul Bar Association on "
                    "Tuesday over a statement the bar issued about the killing of two journalists "
                    "in Syria, his lawyer said.",
                ),
                (
                    "Turkey releases head of Istanbul Bar Association",
                    "Turkish authorities released the head of the Istanbul Bar Association on "
                    "Tuesday, three days after he was detained over a statement the bar issued "
                    "about the killing of two journalists in Syria, his lawyer said.",
                ),
            ),
            (
                (
                    "Polish lawmakers reject bill to decriminalise abortion assistance",
                    "Poland's lower house of parliament rejected by 218 votes to 215 a bill that "
                    "would have decriminalised helping a woman terminate a pregnancy, in a setback "
                    "for the ruling coalition.",
                ),
                (
                    "Polish lawmakers approve bill to decriminalise abortion assistance",
                    "Poland's lower house of parliament approved by 218 votes to 215 a bill that "
                    "would decriminalise helping a woman terminate a pregnancy, in a win for the "
                    "ruling coalition.",
                ),
            ),
            (
                (
                    "Kenyan police ban protests in central Nairobi",
                    "Kenyan police banned demonstrations in Nairobi's central business district "
                    "until further notice, citing the infiltration of anti-government protests by "
                    "criminal gangs.",
                ),
                (
                    "Kenyan police lift ban on protests in central Nairobi",
                    "Kenyan police lifted a ban on demonstrations in Nairobi's central business "
                    "district, weeks after citing the infiltration of anti-government protests by "
                    "criminal gangs.",
                ),
            ),
            (
                (
                    "Uber loses UK Supreme Court battle over drivers' rights",
                    "Britain's Supreme Court ruled against Uber, finding that its drivers are "
                    "workers entitled to the minimum wage and holiday pay rather than "
                    "self-employed contractors.",
                ),
                (
                    "Uber wins UK Supreme Court battle over drivers' rights",
                    "Britain's Supreme Court ruled in favour of Uber, finding that its drivers are "
                    "self-employed contractors rather than workers entitled to the minimum wage "
                    "and holiday pay.",
                ),
            ),
            (
                (
                    "Quebec appeals court upholds secularism law",
                    "Quebec's Court of Appeal upheld most of the province's secularism law, which "
                    "bans some public employees from wearing religious symbols at work, rejecting "
                    "a challenge by teachers' unions and civil liberties groups.",
                ),
                (
                    "Quebec appeals court strikes down secularism law",
                    "Quebec's Court of Appeal struck down most of the province's secularism law, "
                    "which bans some public employees from wearing religious symbols at work, "
                    "accepting a challenge by teachers' unions and civil liberties groups.",
                ),
            ),
        ],
    },
    {  # 47: women's rights, protests and elections
        "lang": "en",
        "kind": "one-party",
        "label": 0,
        "pairs": [
            (
                "Iranian women's rights activist {p} sentenced to six years",
                "A Revolutionary Court in Tehran sentenced women's rights activist {p} to six "
                "years in prison for 'propaganda against the state' and 'collusion against "
                "national security', her lawyer said. {p} was arrested during protests against "
                "mandatory hijab rules.",
                "Nasrin Karimi",
                "Leila Ahmadi",
            ),
            (
                "Tens of thousands march in {p} against French pension reform",
                "Tens of thousands of people marched in {p} on Thursday in the latest day of "
                "action against the government's plan to raise the retirement age to 64, according "
                "to the unions. Police in {p} fired tear gas at a group of masked protesters near "
                "the city centre.",
                "Marseille",
                "Lyon",
            ),
            (
                "Nigeria's {p} rejects presidential election result, heads to tribunal",
                "Nigeria's {p} rejected the results of the presidential election announced by the "
                "electoral commission and said it would challenge them at the election tribunal, "
                "alleging widespread rigging. The {p} said its agents had been barred from several "
                "collation centres.",
                "Labour Party",
                "Peoples Democratic Party",
            ),
            (
                "{p} recalls ambassador from Venezuela over disputed election",
                "{p} recalled its ambassador from Caracas for consultations after Venezuela's "
                "electoral council declared President Nicolas Maduro the winner of the disputed "
                "vote, the foreign ministry said. {p} called for a full, independent count of the "
                "tally sheets.",
                "Chile",
                "Peru",
            ),
        ],
    },
]

AR_PREFIXES = ["عاجل: ", "عاجل | ", "بالفيديو: ", "خاص: ", "تحديث: ", "شاهد: "]
EN_PREFIXES = ["Breaking: ", "BREAKING - ", "Update: ", "UPDATE 1-", "Watch: ", "Exclusive: "]
AR_SUFFIXES = [" - وكالة الأنباء", " | الجزيرة نت", " - فرانس 24", " | العربي الجديد"]
EN_SUFFIXES = [" - Reuters", " | AP News", " - BBC News", " | Al Jazeera"]
AR_SOURCE_NOTES = [" (رويترز)", " (أ ف ب)", " المصدر: وكالات."]
EN_SOURCE_NOTES = [" (Reuters)", " (AFP)", " Reporting by staff."]
GENERIC = {
    "ar": ["عاجل", "بيان", "بيان صحفي", "عاجل:", "تصريح", "خبر عاجل"],
    "en": ["Breaking", "Update", "Statement", "BREAKING:", "News", "Press release"],
}
DIACRITICS = ["\u064e", "\u064f", "\u0650", "\u0652", "\u0651"]
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def fill(text: str, slots: dict[str, str]) -> str:
    return text.format(**slots)


def pick_slots(family: dict, i: int) -> dict[str, str]:
    return {name: values[i % len(values)] for name, values in family["slots"].items()}


def spelling_variant(text: str, lang: str, rng: random.Random) -> str:
    """Another outlet's spelling: diacritics, hamza and ta marbuta forms, digits, tatweel."""
    if lang == "en":
        out = text.replace("'", "\u2019").replace(" per cent", "%").replace("-", "\u2013")
        return out.upper() if rng.random() < 0.3 else out
    words = text.split(" ")
    out = []
    for word in words:
        r = rng.random()
        if r < 0.25 and len(word) > 2:
            chars = list(word)
            pos = rng.randrange(1, len(chars))
            chars.insert(pos, rng.choice(DIACRITICS))
            word = "".join(chars)
        elif r < 0.4:
            word = word.replace("أ", "ا").replace("إ", "ا")
        elif r < 0.5:
            word = word.replace("ة", "ه")
        elif r < 0.6:
            word = word.replace("ى", "ي")
        elif r < 0.65 and len(word) > 3:
            word = word[:2] + "\u0640" + word[2:]
        out.append(word)
    result = " ".join(out)
    if rng.random() < 0.5:
        result = result.translate(ARABIC_DIGITS)
    return result


def first_sentence(text: str) -> str:
    for mark in (". ", "، ", "; "):
        if mark in text:
            return text.split(mark)[0] + "."
    return text


def new_pairs(start: int) -> list[dict]:
    """The NEW_FAMILIES pairs: family numbers go on after FAMILIES', ids after build()'s."""
    out: list[dict] = []
    for offset, family in enumerate(NEW_FAMILIES):
        family_no = len(FAMILIES) + offset
        for pair in family["pairs"]:
            if family["kind"] == "one-party":
                title, summary, party_a, party_b = pair
                assert "{p}" in title and "{p}" in summary and party_a != party_b
                a = (title.format(p=party_a), summary.format(p=party_a))
                b = (title.format(p=party_b), summary.format(p=party_b))
            else:
                a, b = pair
            out.append(
                {
                    "id": f"{family['lang']}-{family_no:02d}-{start + len(out):04d}",
                    "lang": family["lang"],
                    "family": family_no,
                    "split": "heldout" if family_no % 3 == 2 else "tune",
                    "label": family["label"],
                    "kind": family["kind"],
                    "a": {"title": a[0], "summary": a[1]},
                    "b": {"title": b[0], "summary": b[1]},
                }
            )
    return out


def build() -> list[dict]:
    rng = random.Random(20241128)
    pairs: list[dict] = []

    def add(family_no: int, label: int, kind: str, a: tuple[str, str], b: tuple[str, str]):
        family = FAMILIES[family_no]
        pairs.append(
            {
                "id": f"{family['lang']}-{family_no:02d}-{len(pairs):04d}",
                "lang": family["lang"],
                "family": family_no,
                "split": "heldout" if family_no % 3 == 2 else "tune",
                "label": label,
                "kind": kind,
                "a": {"title": a[0], "summary": a[1]},
                "b": {"title": b[0], "summary": b[1]},
            }
        )

    for f, family in enumerate(FAMILIES):
        lang = family["lang"]
        frames = family["frames"]
        for k, (titles, summaries) in enumerate(frames):
            slots = pick_slots(family, k)
            t = [fill(x, slots) for x in titles]
            s = [fill(x, slots) for x in summaries]
            prefixes = AR_PREFIXES if lang == "ar" else EN_PREFIXES
            suffixes = AR_SUFFIXES if lang == "ar" else EN_SUFFIXES
            notes = AR_SOURCE_NOTES if lang == "ar" else EN_SOURCE_NOTES
            # same story, told differently
            add(
                f,
                1,
                "syndicated",
                (t[0], s[0]),
                (t[0] + rng.choice(suffixes), s[0] + rng.choice(notes)),
            )
            add(f, 1, "prefix", (t[1], s[0]), (rng.choice(prefixes) + t[1], first_sentence(s[0])))
            add(
                f,
                1,
                "spelling",
                (t[0], s[0]),
                (spelling_variant(t[0], lang, rng), spelling_variant(s[0], lang, rng)),
            )
            add(f, 1, "rewritten-title", (t[0], s[0]), (t[2], s[0]))
            add(f, 1, "rewritten-title", (t[1], s[1]), (t[2], s[1] + rng.choice(notes)))
            add(f, 1, "rewritten-both", (t[0], s[0]), (t[1], s[1]))
            add(
                f, 1, "truncated", (t[2], first_sentence(s[1])), (rng.choice(prefixes) + t[2], s[1])
            )
            # different stories: the same actors in another event, same day and place
            for k2 in range(k + 1, len(frames)):
                titles2, summaries2 = frames[k2]
                t2 = [fill(x, slots) for x in titles2]
                s2 = [fill(x, slots) for x in summaries2]
                i, j = rng.randrange(3), rng.randrange(3)
                add(f, 0, "same-actors", (t[i], s[rng.randrange(2)]), (t2[j], s2[rng.randrange(2)]))
                add(f, 0, "same-actors", (t[(i + 1) % 3], s[0]), (t2[(j + 1) % 3], s2[1]))
                add(f, 0, "same-actors", (t[(i + 2) % 3], s[1]), (t2[(j + 2) % 3], s2[0]))
            # different stories: the same kind of event elsewhere, with other numbers
            for shift in (1, 2):
                other = pick_slots(family, k + shift)
                if fill(summaries[0], other) == s[0] or fill(titles[0], other) == t[0]:
                    continue  # this frame does not name the place or number: same story
                i = rng.randrange(3)
                add(
                    f,
                    0,
                    "elsewhere",
                    (t[i], s[shift % 2]),
                    (fill(titles[(i + shift) % 3], other), fill(summaries[(shift + 1) % 2], other)),
                )
    # generic titles over unrelated texts never merge; over the same text they do
    for n in range(48):
        f1, f2 = rng.sample(range(len(FAMILIES)), 2)
        while FAMILIES[f2]["lang"] != FAMILIES[f1]["lang"]:
            f2 = rng.randrange(len(FAMILIES))
        lang = FAMILIES[f1]["lang"]
        s1 = fill(rng.choice(rng.choice(FAMILIES[f1]["frames"])[1]), pick_slots(FAMILIES[f1], 0))
        s2 = fill(rng.choice(rng.choice(FAMILIES[f2]["frames"])[1]), pick_slots(FAMILIES[f2], 0))
        g1, g2 = rng.choice(GENERIC[lang]), rng.choice(GENERIC[lang])
        if n % 3 == 0:
            add(f1, 1, "generic-title-same-text", (g1, s1), (g2, s1))
        else:
            add(f1, 0, "generic-title", (g1, first_sentence(s1)), (g2, first_sentence(s2)))
    # as many of each label: keep every different-story pair, sample the same-story ones
    negatives = [p for p in pairs if p["label"] == 0]
    positives = [p for p in pairs if p["label"] == 1]
    kept = sorted(rng.sample(range(len(positives)), len(negatives)))
    balanced = sorted(negatives + [positives[i] for i in kept], key=lambda p: p["id"])
    # the pairs written later, appended (they use no randomness, so the above is unchanged)
    return balanced + new_pairs(len(pairs))


def main() -> None:
    pairs = build()
    with (HERE / "pairs.jsonl").open("w", encoding="utf-8") as out:
        for pair in pairs:
            out.write(json.dumps(pair, ensure_ascii=False) + "\n")
    by = {(p["split"], p["label"]) for p in pairs}
    counts = {key: sum(1 for p in pairs if (p["split"], p["label"]) == key) for key in sorted(by)}
    print(f"{len(pairs)} pairs: {counts}")


if __name__ == "__main__":
    main()
