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
    return sorted(negatives + [positives[i] for i in kept], key=lambda p: p["id"])


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
