# The staff desk: what specialists see. Never shown to her.
cmd-queue = Өтүнүчтөрдүн кезеги
cmd-next = Кийинки өтүнүчтү алуу
cmd-mine = Менин өтүнүчтөрүм
desk-help =
    Адистер үчүн буйруктар:
    /queue — канча өтүнүч күтүп жатат
    /next — кийинки өтүнүчтү алуу
    /take K7QX — өтүнүчтү коду боюнча алуу
    /mine — сиз алган өтүнүчтөр
    /shelter — баш калкалоочу жайдагы орундар (же /shelter бар, аз, жок)
    /on, /off — кезметти баштоо жана бүтүрүү
    /stats 2026 — жылдык сандар жана график; /export 2026 — Excel үчүн CSV файл
desk-queue = Күтүп жатат: { $total }. Азыр коркунучта: { $danger }, бир күндүн ичинде: { $day }, күтө алат: { $wait }.
desk-nothing = Азыр эч ким күтүп жаткан жок.
desk-mine = Сиздин өтүнүчтөрүңүз: { $codes }
desk-mine-none = Сизде алынган өтүнүч жок.
desk-closed = { $code } өтүнүчү жабылды. Рахмат.
desk-released = { $code } өтүнүчү кайра кезекте, өз ордунда.
desk-not-yours = Бул өтүнүч сизде эмес.
desk-card-title = Өтүнүч { $code }
desk-card-phone = Телефон: { $phone }
desk-card-phone-not-own = Номер башка адамдын байланышынан.
desk-card-if-other = Башка адам жооп берсе: { $value }
desk-card-code-word = Шарттуу сөз: { $word }
desk-card-description = Анын сөздөрү: { $text }
desk-card-waited = { $minutes } мүнөт күттү.
desk-card-checklist =
    Борбордун номеринен гана чалыңыз, жеке SIM-картадан чалбаңыз.
    Ал шарттуу сөздү айтмайынча, борбор тууралуу эч нерсе айтпаңыз.
    Башка адам жооп берсе, ал кандай сураса, ошондой кылыңыз.
desk-button-helped = Даяр: сүйлөштүк
desk-button-tried = Сүйлөшүү мүмкүн болбоду
desk-button-release = Кезекке кайтаруу
cmd-shelter = Баш калкалоочу жайдагы орундар
desk-shelter-now = Баш калкалоочу жай азыр: { $state } ({ $hours } саат мурун жаңыланган). Ал муну «Баш калкалоочу жай» экранынан көрөт; бир сутка жаңыланбаса — «билүү үчүн чалыңыз».
desk-shelter-never = Баш калкалоочу жайдын абалы али коюла элек: ал «билүү үчүн чалыңыз» деп көрөт.
desk-shelter-set = Даяр: { $state }. Ал муну дароо көрөт.
desk-shelter-available = орун бар
desk-shelter-few = орун аз
desk-shelter-full = орун жок
cmd-on = Кезметти баштоо
cmd-off = Кезметти бүтүрүү
desk-on = Сиз кезметтесиз. Шашылыш өтүнүчтөр сизге үн менен келет.
desk-off = Кезмет бүттү. Кезекке кайткан өтүнүчтөр: { $count }.
desk-new-request = Жаңы өтүнүч { $code }: { $topic } · { $urgency }. Күтүп жатат: { $waiting }.
desk-urgent-alert = Шашылыш: { $code } өтүнүчү — ал азыр коркунучта. Алыңыз: /next
desk-withdrawn = { $code } өтүнүчүн ал жокко чыгарды. Бул өтүнүч боюнча аны менен байланышпаңыз. Карточканы бот жок кылды.
cmd-take = Өтүнүчтү коду боюнча алуу
desk-take-usage = Өтүнүчтүн кодун жазыңыз, мисалы: /take K7QX
desk-take-none = { $code } өтүнүчү кезекте жок: аны алып коюшкан же жабылган, же код туура эмес.
desk-at-cap = Сизде алынган өтүнүчтөр: { $count } — бул чек. Бирөөнү жабыңыз же кезекке кайтарыңыз, анан жаңысын алыңыз.
desk-too-fast = Өтө көп жолу. Бир мүнөт күтүңүз.
desk-still-waiting = Шашылыш { $code } өтүнүчү { $minutes } мүнөттөн бери күтүп жатат, аны эч ким алган жок. Алыңыз: /take { $code }
desk-queue-topic = — { $topic }: { $count }
desk-queue-oldest = Эң көп күткөнү: { $minutes } мүн.
desk-queue-urgent-late = 10 мүнөттөн ашык күткөн шашылыштар: { $count }. Аларды биринчи алыңыз: /next
desk-queue-on-duty = Кезметте: { $names }
desk-queue-nobody-on-duty = Азыр эч ким кезметте эмес (/on).
desk-try-what = Чалууда эмне болду?
desk-try-no-answer = Жооп беришкен жок
desk-try-someone-else = Башка адам жооп берди
desk-try-wrong-number = Номер туура эмес
desk-try-dropped = Чалуу үзүлүп калды
desk-try-recorded = { $tries }-аракет жазылды. { $code } өтүнүчү кайра кезекте — кийинки жолу чалышат.
desk-try-gave-up = Эки күндө үчүнчү аракет: { $code } өтүнүчү «байланышуу мүмкүн болбоду» деп жабылды. Ал муну «Менин кайрылуумдан» көрөт.
desk-card-tries = Мурда байланышууга аракет кылышкан: { $tries } жолу.
desk-claim-check = { $code } өтүнүчү менен дагы эле иштеп жатасызбы? 5 мүнөттө жооп бербесеңиз, ал кезекке кайтат.
desk-button-keep = Ооба, менде калсын
desk-kept = { $code } өтүнүчү сизде калат.
desk-claim-expired = { $code } өтүнүчү кезекке кайтты: аны убагында жабышкан жок.
cmd-claims = Бардык алынган өтүнүчтөр (жетекчи үчүн)
cmd-suspend = Кызматкерди четтетүү (жоголгон телефон)
cmd-resume = Кызматкерге кирүүнү кайтаруу
desk-claims-title = Алынган өтүнүчтөр:
desk-claims-line = { $name }: { $code }, { $minutes } мүн
desk-claims-none = Азыр эч кимде алынган өтүнүч жок.
desk-suspended = { $handle } четтетилди: кезекке кайткан өтүнүчтөр: { $count }, карточкалар жок кылынды. Бот бул телефонго кызматкер катары жооп бербейт. Кайтаруу: /resume { $handle }
desk-resumed = { $handle } кайра иштей алат.
desk-no-such-staff = { $handle } деген кызматкер жок. Мисалы: /suspend aigul
desk-card-stub = Өтүнүчтүн карточкасы жабылды.
desk-duty-lapsed = Кезметиңиз бүттү: { $hours } саат өттү. Шашылыш өтүнүчтөр сизге мындан ары келбейт. Улантуу: /on
desk-shelter-stale = Баш калкалоочу жайдын абалы бир сутка жаңыланган жок — ал «билүү үчүн чалыңыз» деп көрөт. Жаңыртыңыз: /shelter
desk-card-same-number = Көңүл буруңуз: бул номер дагы бир ачык өтүнүчтө бар. Этият болуңуз: телефонду башка бирөө колдонуп жаткан болушу мүмкүн.
# Words staff may type after /shelter (comma-separated; any case; the English
# available, few, full always work).
desk-shelter-words-available = бар, орун бар
desk-shelter-words-few = аз, орун аз
desk-shelter-words-full = жок, толук, орун жок
desk-card-language = Анын тили: { $language }
desk-card-window-open = Азыр анын убактысы.
desk-card-window-later = Азыр анын убактысы эмес: ал айткан саатта чалыңыз.
desk-card-note = Мурунку аракеттен кийинки эскертме: { $text }
desk-note-ask = Керек болсо, кийинки билдирүү менен андан ары чала турган кесиптешке кыска эскертме жазыңыз (мисалы, ким жооп берди). Ал өтүнүч менен кошо шифрленип сакталат жана аны менен кошо өчүрүлөт.
desk-note-saved = { $code } өтүнүчүнө эскертме сакталды. Сиздин билдирүүңүз чаттан өчүрүлдү.
desk-note-too-long = Эскертме { $max } белгиден узун. Кыскараак жазыңыз.
desk-queue-later = Чалуу убактысын күтүп жатат: { $count }.
desk-nothing-open = Күтүп жатат: { $count }, бирок азыр аларга чалуу убактысы эмес. Кийинчерээк караңыз: /queue
desk-button-release-code = { $code } кезекке кайтаруу
desk-released-by-supervisor = Жетекчи { $code } өтүнүчүн кезекке кайтарды. Бул өтүнүч боюнча аны менен байланышпаңыз. Бот карточканы өчүрдү.
cmd-reopen = Жаңылыш жабылган өтүнүчтү кайра ачуу
desk-reopen-usage = Жабылган өтүнүчтүн кодун жазыңыз, мисалы: /reopen K7QX
desk-reopened = { $code } өтүнүчү кайра кезекте, өз ордунда. Анын жыйынтыгы айдын сандарынан алынып салынды.
desk-reopen-none = { $code } өтүнүчүн кайра ачууга болбойт: ал жок, жабыла элек, аны өзү жокко чыгарган, же сактоо мөөнөтү өттү.
desk-help-supervisor =
    Жетекчи үчүн:
    /claims — алынган бардык өтүнүчтөр (каалаганын кезекке кайтарса болот)
    /reopen K7QX — жаңылыш жабылганды кайра ачуу
    /suspend aigul, /resume aigul — кызматкерди четтетүү жана кайра уруксат берүү
desk-button-block = Жөнөтүүчүнү бөгөттөө
desk-block-ask = Бул өтүнүчтүн жөнөтүүчүсүн канча убакытка бөгөттөө керек? Ал өтүнүч жөнөтө албайт жана адистерге жаза албайт; «Коркунуч», «Жашыруу» жана «Өчүрүү» иштей берет.
desk-button-block-day = Бир суткага
desk-button-block-month = 30 күнгө
desk-blocked = { $code } өтүнүчүнүн жөнөтүүчүсү { $days } күнгө бөгөттөлдү. Чатты өчүрүү бөгөттү алып салбайт.
