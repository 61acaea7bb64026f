# What others see in the chat list and the command menu: neutral on purpose.
bot-name = Ден соолук боюнча кеңештер
bot-description = Ден соолук жана гигиена боюнча кыска кеңештер жана пайдалуу маалымат.
bot-short-description = Ден соолук жана гигиена боюнча кеңештер.
cmd-start = Баштоо
cmd-menu = Башкы меню
cmd-language = Тилди тандоо
cmd-help = Бот эмне кыла алат
# When one person sends too much too fast (the rest is not read).
limit-toast = Өтө көп бастыңыз. Бир аз күтө туруңуз.
limit-slow-down = Катары менен өтө көп билдирүү келди — акыркыларын бот окуган жок. Бир мүнөт күтүп, кайра жазыңыз. Коркунучта болсоңуз, 102 (милиция) же 112 номерине чалыңыз.
