# What others see in the chat list and the command menu: neutral on purpose.
bot-name = Соғлиқ бўйича маслаҳатлар
bot-description = Соғлиқ ва гигиена бўйича қисқа маслаҳатлар ва фойдали маълумотлар.
bot-short-description = Соғлиқ ва гигиена бўйича маслаҳатлар.
cmd-start = Бошлаш
cmd-menu = Бош меню
cmd-language = Тилни танлаш
cmd-help = Бу бот нима қила олади
# When one person sends too much too fast (the rest is not read).
limit-toast = Кетма-кет жуда кўп босилди. Бироз кутинг.
limit-slow-down = Кетма-кет жуда кўп хабар келди — охиргиларини бот ўқимади. Бир дақиқа кутиб, қайта ёзинг. Хавф остида бўлсангиз, 102 (милиция) ёки 112 рақамига қўнғироқ қилинг.
