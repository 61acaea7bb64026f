# The center's configured details, and answers to anything unexpected.
# The center's name as it stands in quotes; `[center.name]` in the configuration overrides it.
center-name = Ак-Жүрөк
center-phones = «Ак-Жүрөк» борборунун телефону: { $phones }
center-hours = Иш убактысы: { $hours }
unknown-command = Мындай буйрук жок. Азыр төмөнкүлөрдүн бирин тандаңыз:
unexpected-media = Бот баскычтарга жана буйруктарга гана жооп берет. Сүрөт, стикер, үн кабар, файл, байланыш жана жайгашкан жерди ачпайт жана сактабайт. Төмөнкү баскычтардын бирин басыңыз.
free-text = Бот бул жерде билдирүүлөрдү окубайт жана алардан эч нерсе сактабайт. Адис менен сүйлөшүү үчүн «Мени менен байланышыңыз» дегенди тандаңыз.
stale-button = Бул баскыч эскирип калган. Мына башкы меню.
apology = Кечиресиз, бир ката кетти. Кайра аракет кылып көрүңүз — мына башкы меню.
contact-policy-bot = Борбор адамдар менен ушул бот аркылуу гана байланышат.
contact-policy-numbers = Борбор ушул бот аркылуу гана жазат жана ушул номерлерден гана чалат: { $numbers }.
center-working-hours = Адистер байланышта: { $hours }
