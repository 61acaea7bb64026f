# The main menu, its sections, help and the way back.
menu-title = Бош меню. Сизга қандай ёрдам бера оламиз?
menu-danger = Ҳозир ёрдам керак
menu-help = Ёрдам олиш
menu-shelter = Вақтинча бошпана (шелтер)
menu-covid = COVID-19: гигиена
menu-callback = Мен билан боғланинг
menu-my-request = Менинг мурожаатим
menu-erase = Бу чатни ўчириш
menu-language = Тил · Язык
button-back = Орқага
button-cancel = Бекор қилиш
button-skip = Ўтказиб юбориш
button-keep-code-word = Аввалги шартли сўз қолсин
button-keep-description = Аввал ёзганим қолсин
button-send = Юбориш
button-change = Ўзгартириш
button-menu = Бош меню
help =
    Бу — Ўшдаги «{ $center }» кризис марказининг боти. Бу ерда фавқулодда хизматлар рақамларини, марказ ёрдами ва вақтинча бошпана ҳақида билиб олишингиз, гигиена бўйича маслаҳатларни ўқишингиз ва мутахассис сиз билан боғланишини сўрашингиз мумкин.
    Буйруқлар:
    /start, /menu — бош меню
    /language — тилни танлаш
    /help — шу йўриқнома
