# The callback request: the wizard, "My request" and the confirmation.
wizard-topic = Адис менен эмне тууралуу сүйлөшкүңүз келет?
wizard-urgency = Бул канчалык шашылыш?
urgency-can-wait = Мен коопсуз жердемин, күтө алам
urgency-within-day = Мага бир күндүн ичинде жардам керек
urgency-danger-now = Мен азыр коркунучта турам
wizard-contact = Сиз менен кантип байланышалы?
contact-call = Мага чалыңыз
contact-telegram = Мага ушул жерде, Telegram'да жазыңыз
wizard-phone =
    Телефон номериңизди жазыңыз, мисалы 0700 123 456 же +7 916 123 45 67. Байланышты (контактты) жөнөтсөңүз да болот.
    Бот билдирүүңүздү чаттан дароо жок кылат. Номериңизди сизге чала турган адис гана көрөт.
wizard-phone-not-a-number = Бул телефон номерине окшобойт. Сандарды гана жазыңыз, мисалы 0700 123 456.
wizard-phone-implausible = Мындай номер болбойт. Сандарды текшериңиз, мисалы: 0700 123 456, +996 700 123 456 же +7 916 123 45 67.
wizard-safe-time = Сиз менен качан байланышсак коопсуз болот?
time-morning = Эртең менен
time-afternoon = Түштөн кийин
time-evening = Кечинде
# A choice of when to contact her, with its hours: "Evening (17:00–21:00)".
time-window = { $label } ({ $from }–{ $to })
time-any = Каалаган убакта
wizard-if-other = Телефонду башка бирөө алса, адис эмне кылсын?
if-other-hang-up = Телефонду коюп койсун
if-other-wrong-number = Жаңылыш номер деп айтсын
if-other-say-center = «{ $center }» деп айтса болот
wizard-code-word =
    Шарттуу сөз койсоңуз болот: адис маанилүү нерсе тууралуу сүйлөөдөн мурун аны сурайт. Сөздү жазыңыз ({ $max ->
        [one] { $max } белгиге
       *[other] { $max } белгиге
    } чейин) же «Өткөрүп жиберүү» баскычын басыңыз.
    Бот билдирүүңүздү чаттан дароо жок кылат.
wizard-code-word-invalid = Шарттуу сөз бир кыска сөз болушу керек, { $max ->
        [one] { $max } белгиден
       *[other] { $max } белгиден
    } ашпасын. Кайра жазыңыз же «Өткөрүп жиберүү» баскычын басыңыз.
wizard-description =
    Кааласаңыз, эмне болгонун кыскача жазыңыз ({ $max ->
        [one] { $max } белгиге
       *[other] { $max } белгиге
    } чейин). Муну өтүнүчүңүздү алган адис гана окуйт. Өткөрүп жиберсеңиз да болот.
    Бот билдирүүңүздү чаттан дароо жок кылат.
wizard-description-too-long = Өтө узун: { $count ->
        [one] { $count } белги
       *[other] { $count } белги
    }, ал эми { $max } белгиден ашпашы керек. Кыскартып, кайра жөнөтүңүз.
wizard-use-buttons = Төмөнкү баскычтардын бири менен жооп бериңиз.
wizard-summary = Текшерип көрүңүз:
summary-topic = Тема: { $value }
summary-urgency = Шашылыштыгы: { $value }
summary-contact = Байланыш: { $value }
summary-phone = Телефон: { $phone }
summary-phone-not-own = (номер башка аккаунттун контактысынан)
summary-safe-time = Качан коопсуз: { $value }
summary-if-other = Башка бирөө алса: { $value }
summary-code-word-set = Шарттуу сөз: коюлду
summary-code-word-none = Шарттуу сөз: жок
summary-description-added = Сүрөттөмө: кошулду
summary-description-none = Сүрөттөмө: жок
wizard-change = Эмнени өзгөртөсүз?
change-topic = Теманы
change-urgency = Шашылыштыгын
change-contact = Байланыш жолун
change-phone = Телефон номерин
change-safe-time = Убакытты
change-if-other = Башка бирөө алса
change-code-word = Шарттуу сөздү
change-description = Сүрөттөмөнү
wizard-already-sent = Өтүнүчүңүз мурун эле жөнөтүлгөн.
wizard-cancelled = Өтүнүч жокко чыгарылды, андан эч нерсе сакталган жок.
my-request-title = Өтүнүч { $code }
my-request-waiting = { $ahead ->
        [0] Сиз кезекте биринчисиз.
        [one] Сиздин алдыңызда { $ahead } өтүнүч бар.
       *[other] Сиздин алдыңызда { $ahead } өтүнүч бар.
    }
my-request-claimed = Адис өтүнүчүңүздү алды жана жакында сиз менен байланышат.
my-request-closed = Өтүнүч жабылды.
my-request-cancelled = Өтүнүч жокко чыгарылды.
my-request-unreachable = Адис сизге бир нече жолу чала алган жок, өтүнүч жабылды. Жардам дагы эле керек болсо, кайра байланышууну сураныңыз.
my-request-none = Сизде өтүнүч жок. Адис сиз менен байланышсын десеңиз, «Мени менен байланышыңыз» баскычын басыңыз.
my-request-code-hint = Маекти жок кылып, өтүнүчтү калтырган болсоңуз, анын номерин бул жерге жазыңыз.
button-cancel-request = Өтүнүчтү жокко чыгаруу
button-view-request = Өтүнүчтү көрүү
button-change-request = Өтүнүчтү өзгөртүү
open-request-exists = Сизде { $code } өтүнүчү бар. Аны көрүп, өзгөртүп же жокко чыгарсаңыз болот.
cancel-request-confirm = { $code } өтүнүчүн жокко чыгарасызбы? Анда адис сиз менен байланышпайт.
button-confirm-cancel = Ооба, жокко чыгаруу
button-keep-request = Жок, калтыруу
request-cancelled-note = Өтүнүч жокко чыгарылды.
sent-thanks = Рахмат, өтүнүчүңүздү алдык. Анын номери: { $code }.
sent-changed = { $code } өтүнүчү өзгөртүлдү.
expect-today = Адис сиз менен бүгүн саат { $closes } чейин байланышат.
expect-opens = Адис сиз менен борбор ачылганда байланышат: { $day ->
        [tomorrow] эртең
        [mon] дүйшөмбү күнү
        [tue] шейшемби күнү
        [wed] шаршемби күнү
        [thu] бейшемби күнү
        [fri] жума күнү
        [sat] ишемби күнү
       *[sun] жекшемби күнү
    } саат { $at }.
expect-soon = Адис сиз менен мүмкүн болушунча тез байланышат.
expect-meanwhile = Ага чейин коркунуч туулса, 102 же 112 номерине чалыңыз.
sent-we-call = Биз { $phone } номерине чалабыз.
sent-we-write = Биз сизге ушул жерде, ушул бот аркылуу жазабыз.
send-blocked = Азыр бот аркылуу өтүнүч жөнөтүүгө болбойт. Коркунучта болсоңуз, 102 (милиция) же 112 номерине чалыңыз.
starts-limit = Бүгүн сиз бир нече жолу өтүнүч баштадыңыз. Эртең кайра аракет кылыңыз же борборго чалыңыз. Коркунучта болсоңуз, 102 (милиция) же 112 номерине чалыңыз.
queue-full = Азыр өтүнүчтөр өтө көп, бот жаңысын кабыл ала албайт. Кийинчерээк аракет кылыңыз же борборго чалыңыз. Коркунучта болсоңуз, 102 (милиция) же 112 номерине чалыңыз.
