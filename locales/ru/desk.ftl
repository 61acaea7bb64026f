# The staff desk: what specialists see. Never shown to her.
cmd-queue = Очередь заявок
cmd-next = Взять следующую заявку
cmd-mine = Мои заявки
desk-help =
    Команды для специалистов:
    /queue — сколько заявок ждёт
    /next — взять следующую заявку
    /take K7QX — взять заявку по коду
    /mine — заявки, которые вы взяли
    /shelter — места в убежище (или /shelter есть, мало, нет)
    /on, /off — начать и закончить смену
    /stats 2026 — числа за год и график; /export 2026 — файл CSV для Excel
desk-queue = Ждут: { $total }. Опасность сейчас: { $danger }, в течение дня: { $day }, могут подождать: { $wait }.
desk-nothing = Сейчас никто не ждёт.
desk-mine = Ваши заявки: { $codes }
desk-mine-none = У вас нет взятых заявок.
desk-closed = Заявка { $code } закрыта. Спасибо.
desk-released = Заявка { $code } снова в очереди, на своём месте.
desk-not-yours = Эта заявка уже не у вас.
desk-card-title = Заявка { $code }
desk-card-phone = Телефон: { $phone }
desk-card-phone-not-own = Номер из контакта другого человека.
desk-card-if-other = Если ответит другой человек: { $value }
desk-card-code-word = Кодовое слово: { $word }
desk-card-description = Её слова: { $text }
desk-card-waited = { $minutes ->
    [one] Ждала { $minutes } минуту.
    [few] Ждала { $minutes } минуты.
    [many] Ждала { $minutes } минут.
   *[other] Ждала { $minutes } минуты.
}
desk-card-checklist =
    Звоните только с номера центра, не с личной SIM-карты.
    Ничего не говорите о центре, пока она не назовёт кодовое слово.
    Если ответит другой человек — делайте так, как она просила.
desk-button-helped = Готово: поговорили
desk-button-tried = Не получилось поговорить
desk-button-release = Вернуть в очередь
cmd-shelter = Места в убежище
desk-shelter-now = Убежище сейчас: { $state } (обновлено { $hours } ч назад). Она видит это на экране «Убежище»; через сутки без обновления — «позвоните, чтобы узнать».
desk-shelter-never = Состояние убежища ещё не задано: она видит «позвоните, чтобы узнать».
desk-shelter-set = Готово: { $state }. Она видит это сразу.
desk-shelter-available = места есть
desk-shelter-few = мест мало
desk-shelter-full = мест нет
cmd-on = Начать смену
cmd-off = Закончить смену
desk-on = Вы на смене. Срочные заявки будут приходить вам со звуком.
desk-off = Смена закончена. Заявок вернулось в очередь: { $count }.
desk-new-request = Новая заявка { $code }: { $topic } · { $urgency }. Ждут: { $waiting }.
desk-urgent-alert = Срочно: заявка { $code } — ей угрожает опасность сейчас. Возьмите её: /next
desk-withdrawn = Заявку { $code } она отменила. Не связывайтесь с ней по этой заявке. Карточку бот удалил.
cmd-take = Взять заявку по коду
desk-take-usage = Напишите код заявки, например: /take K7QX
desk-take-none = Заявки { $code } нет в очереди: её уже взяли или закрыли, или код неверный.
desk-at-cap = Взятых заявок у вас: { $count } — это предел. Закройте или верните одну, потом берите новую.
desk-too-fast = Слишком часто. Подождите минуту.
desk-still-waiting = Срочная заявка { $code } ждёт уже { $minutes } мин, её никто не взял. Возьмите её: /take { $code }
desk-queue-topic = — { $topic }: { $count }
desk-queue-oldest = Дольше всех ждёт: { $minutes } мин.
desk-queue-urgent-late = Срочных, ждущих больше 10 минут: { $count }. Возьмите их первыми: /next
desk-queue-on-duty = На смене: { $names }
desk-queue-nobody-on-duty = Сейчас никто не на смене (/on).
desk-try-what = Что случилось со звонком?
desk-try-no-answer = Не ответили
desk-try-someone-else = Ответил другой человек
desk-try-wrong-number = Неверный номер
desk-try-dropped = Звонок прервался
desk-try-recorded = Попытка { $tries } записана. Заявка { $code } снова в очереди — ей позвонят в следующий раз.
desk-try-gave-up = Третья попытка за два дня: заявка { $code } закрыта как «не удалось связаться». Она увидит это в «Моей заявке».
desk-card-tries = Уже пытались связаться: { $tries } раз(а).
desk-claim-check = Вы ещё работаете с заявкой { $code }? Если не ответите за 5 минут, она вернётся в очередь.
desk-button-keep = Да, оставить у меня
desk-kept = Заявка { $code } остаётся у вас.
desk-claim-expired = Заявка { $code } вернулась в очередь: её не закрыли вовремя.
cmd-claims = Все взятые заявки (для руководителя)
cmd-suspend = Отстранить сотрудника (потерянный телефон)
cmd-resume = Вернуть сотруднику доступ
desk-claims-title = Взятые заявки:
desk-claims-line = { $name }: { $code }, { $minutes } мин
desk-claims-none = Сейчас никто не держит заявок.
desk-suspended = { $handle } отстранён(а): заявок вернулось в очередь: { $count }, карточки удалены. Бот больше не отвечает этому телефону как сотруднику. Вернуть: /resume { $handle }
desk-resumed = { $handle } снова может работать.
desk-no-such-staff = Нет сотрудника { $handle }. Напишите, например: /suspend aigul
desk-card-stub = Карточка заявки закрыта.
desk-duty-lapsed = Ваша смена закончилась: прошло { $hours } ч. Срочные заявки больше не приходят вам. Продолжить: /on
desk-shelter-stale = Состояние убежища не обновляли сутки — она видит «позвоните, чтобы узнать». Обновите: /shelter
desk-card-same-number = Внимание: этот номер есть ещё в одной открытой заявке. Будьте осторожны: телефоном может пользоваться кто-то другой.
# Words staff may type after /shelter (comma-separated; any case; the English
# available, few, full always work).
desk-shelter-words-available = есть, места есть
desk-shelter-words-few = мало, мест мало
desk-shelter-words-full = нет, полно, мест нет
desk-card-language = Её язык: { $language }
desk-card-window-open = Сейчас её время.
desk-card-window-later = Сейчас не её время: звоните в указанные часы.
desk-card-note = Заметка после прошлой попытки: { $text }
desk-note-ask = Если нужно, напишите следующим сообщением короткую заметку для того, кто будет звонить дальше (например, кто ответил). Она хранится зашифрованной вместе с заявкой и удаляется с ней.
desk-note-saved = Заметка к заявке { $code } сохранена. Ваше сообщение удалено из чата.
desk-note-too-long = Заметка длиннее { $max } знаков. Напишите короче.
desk-queue-later = Ждут своего времени для звонка: { $count }.
desk-nothing-open = Ждут: { $count }, но сейчас не их время для звонка. Посмотрите позже: /queue
desk-button-release-code = Вернуть { $code } в очередь
desk-released-by-supervisor = Руководитель вернул заявку { $code } в очередь. Не связывайтесь с ней по этой заявке. Карточку бот удалил.
cmd-reopen = Открыть заново закрытую по ошибке заявку
desk-reopen-usage = Напишите код закрытой заявки, например: /reopen K7QX
desk-reopened = Заявка { $code } снова в очереди, на своём месте. Её итог убран из чисел за месяц.
desk-reopen-none = Заявку { $code } нельзя открыть заново: её нет, она не закрыта, её отменила она сама, или прошёл срок хранения.
desk-help-supervisor =
    Для руководителя:
    /claims — все взятые заявки (и вернуть любую в очередь)
    /reopen K7QX — открыть заново закрытую по ошибке
    /suspend aigul, /resume aigul — отстранить сотрудника и вернуть доступ
desk-button-block = Заблокировать отправителя
desk-block-ask = На сколько заблокировать отправителя этой заявки? Он(а) не сможет отправлять заявки и писать специалистам; экран «Опасность», «Скрыть» и «Удалить» останутся.
desk-button-block-day = На сутки
desk-button-block-month = На 30 дней
desk-blocked = Отправитель заявки { $code } заблокирован: { $days ->
    [one] { $days } день
    [few] { $days } дня
    [many] { $days } дней
   *[other] { $days } дня
}. Удаление чата блокировку не снимает.
desk-button-write = Написать ей
desk-write-ask = Напишите сообщение для неё следующим сообщением (до { $max } знаков). Бот передаст его в её безопасное время: сначала придёт нейтральное уведомление без звука, а текст она увидит, только когда нажмёт «Открыть».
desk-write-too-long = Сообщение длиннее { $max } знаков. Напишите короче.
desk-write-posted = Сообщение по заявке { $code } ждёт её времени. Бот скажет вам, когда оно будет доставлено и когда она его откроет. Ваш текст удалён из этого чата.
desk-letter-delivered = Заявка { $code }: уведомление доставлено без звука. Текст она увидит, когда откроет его.
desk-letter-opened = Заявка { $code }: она открыла ваше сообщение.
desk-letter-undeliverable = Заявка { $code }: сообщение не доставлено — возможно, она заблокировала бот или удалила чат.
desk-sent-live = Отправлено: по заявке { $code } она сейчас в переписке и увидит сразу.
desk-her-words =
    Заявка { $code } — она пишет:

    { $text }
desk-card-held = Она написала, пока заявка ждала: { $text }
desk-restarted = Бот перезапустился после сбоя. Отправленные заявки сохранены; если кто-то ждал ответа бота в эту минуту, ответ мог не прийти. Проверьте очередь: /queue
