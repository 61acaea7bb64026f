# What others see in the chat list and the command menu: neutral on purpose.
bot-name = Ден соолук боюнча кеңештер
bot-description = Ден соолук жана гигиена боюнча кыска кеңештер жана пайдалуу маалымат.
bot-short-description = Ден соолук жана гигиена боюнча кеңештер.
cmd-start = Баштоо
cmd-menu = Башкы меню
cmd-language = Тилди тандоо
cmd-help = Бот эмне кыла алат
