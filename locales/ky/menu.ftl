# The main menu, its sections, help and the way back.
menu-title = Башкы меню. Сизге кантип жардам бере алабыз?
menu-danger = Азыр жардам керек
menu-help = Жардам алуу
menu-shelter = Баш калкалоочу жай (шелтер)
menu-covid = COVID-19: гигиена
menu-callback = Мени менен байланышыңыз
menu-my-request = Менин өтүнүчүм
menu-erase = Бул чатты жок кылуу
menu-language = Тил · Язык
button-back = Артка
button-cancel = Жокко чыгаруу
button-skip = Өткөрүп жиберүү
button-keep-code-word = Мурунку шарттуу сөз калсын
button-keep-description = Мурда жазганым калсын
button-send = Жөнөтүү
button-change = Өзгөртүү
button-menu = Башкы меню
help =
    Бул — Оштогу «{ $center }» кризистик борборунун боту. Бул жерде: шашылыш номерлер; борбордун жардамы жана баш калкалоочу жай тууралуу маалымат; гигиена боюнча кеңештер. Адис сиз менен байланышсын деп да сурасаңыз болот.
    Буйруктар:
    /start, /menu — башкы меню
    /language — тилди тандоо
    /help — ушул түшүндүрмө
