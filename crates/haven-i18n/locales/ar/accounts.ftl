# الحسابات: الإعداد وتسجيل الدخول والعامل الثاني وصفحة الحساب.

setup-title = إعداد حسابك
setup-lead = اختر كلمة مرور، ثم اربط تطبيق مصادقة على هاتفك. كلاهما مطلوب لتسجيل الدخول، لأن Haven يحفظ معلومات عن أشخاص يحتاجون إلى حمايتها.
setup-password-heading = ١. اختر كلمة مرور
setup-password = كلمة المرور
setup-password-hint = 12 حرفاً على الأقل. بضع كلمات لا علاقة بينها تصنع كلمة مرور قوية يسهل تذكرها.
setup-password-again = اكتب كلمة المرور مرة أخرى
setup-totp-heading = ٢. اربط تطبيق مصادقة
setup-totp-lead = امسح هذا الرمز بتطبيق مصادقة (مثل FreeOTP أو Aegis أو Google Authenticator أو Microsoft Authenticator)، أو اكتب المفتاح أدناه فيه.
setup-totp-key = المفتاح:
setup-totp-code = الرمز المكوّن من 6 أرقام الذي يظهره التطبيق الآن
setup-submit = إنهاء الإعداد
setup-error-mismatch = كلمتا المرور غير متطابقتين.
setup-error-code = هذا الرمز غير صحيح. تأكد أن التطبيق يعرض Haven، واكتب الرمز الظاهر الآن.

password-error-too-short = يجب أن تتكون كلمة المرور من 12 حرفاً على الأقل.
password-error-too-long = يجب ألا تزيد كلمة المرور على 256 حرفاً.
password-error-common = كلمة المرور هذه من أكثر كلمات المرور شيوعاً. اختر غيرها.
password-error-contains-email = يجب ألا تحتوي كلمة المرور على عنوان بريدك الإلكتروني.

recovery-title = احفظ رموز الاسترداد
recovery-lead = إذا فقدت هاتفك، يتيح لك كل رمز من هذه الرموز تسجيل الدخول مرة واحدة بدلاً من رمز التطبيق. اطبعها أو احفظها في مكان آمن. لن تظهر إلا هذه المرة.
recovery-continue = حفظتها: متابعة

sign-in-title = تسجيل الدخول
sign-in-email = عنوان البريد الإلكتروني
sign-in-password = كلمة المرور
sign-in-submit = تسجيل الدخول
sign-in-error-wrong = عنوان البريد الإلكتروني أو كلمة المرور غير صحيح.
sign-in-error-throttled = محاولات كثيرة جداً. انتظر { $minutes } دقيقة، ثم حاول مرة أخرى.
request-error-throttled = طلبات كثيرة جداً من هنا أو لهذا العنوان. انتظر { $minutes } دقيقة، ثم حاول مرة أخرى.

code-title = أدخل رمزك
code-lead = افتح تطبيق المصادقة واكتب الرمز الذي يظهره لـ Haven.
code-label = الرمز
code-hint = 6 أرقام من التطبيق، أو أحد رموز الاسترداد
code-submit = متابعة
code-error-wrong = هذا الرمز غير صحيح، أو استُخدم من قبل.

account-title = حسابك
account-signed-in-as = مسجّل الدخول باسم { $email }
account-site-admin = أنت مسؤول عن الموقع.
account-organisations = منظماتك
account-no-organisations = لست عضواً في أي منظمة بعد.
account-sign-out = تسجيل الخروج
account-sign-out-everywhere = تسجيل الخروج من جميع الأجهزة

role-viewer = مُطّلع
role-volunteer = متطوع
role-caseworker = أخصائي حالات
role-organisation_admin = مسؤول المنظمة

account-language = لغة رسائلك الإلكترونية
account-language-label = يكتب لك Haven باللغة
account-language-submit = حفظ اللغة
account-error-language = اختر إحدى اللغات الموجودة في القائمة.
