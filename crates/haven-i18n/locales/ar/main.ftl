# واجهة Haven باللغة العربية. حافظ على تطابق معرّفات الرسائل مع ملف اللغة الإنجليزية.

site-name = Haven
skip-to-content = انتقل إلى المحتوى الرئيسي
language-switcher = اللغة
demo-banner = هذه بيانات تجريبية. المنظمات حقيقية، لكن بيانات الاتصال أمثلة وليست بياناتها.

home-title = اعثر على المساعدة بالقرب منك
home-heading = ما الذي تحتاج المساعدة فيه؟
home-lead = اعثر على منظمات قريبة منك تساعد المهاجرين واللاجئين، بلغتك.
home-need-label = ما الذي تحتاج المساعدة فيه؟
home-need-hint = مثلاً: دروس اللغة الإنجليزية، مشورة قانونية، سكن
home-place-label = أين أنت؟
home-place-hint = رمز بريدي، أو بدايته (مثل LS1)، أو اسم بلدة
home-search = ابحث
home-count = { $organisations ->
    [zero] لا توجد منظمات مدرجة
    [one] منظمة واحدة مدرجة
    [two] منظمتان مدرجتان
    [few] { $organisations } منظمات مدرجة
   *[other] { $organisations } منظمة مدرجة
  } تقدّم { $services ->
    [zero] لا خدمات.
    [one] خدمة واحدة.
    [two] خدمتين.
    [few] { $services } خدمات.
   *[other] { $services } خدمة.
  }

footer-about = حول Haven وبياناته

error-title = حدث خطأ ما
error-not-found-title = الصفحة غير موجودة
error-not-found-body = لم نتمكن من العثور على هذه الصفحة. ربما نُقلت، أو ربما الرابط غير صحيح.
error-bad-request-title = لم نتمكن من فهم هذا الطلب
error-unavailable-title = Haven مشغول أو لا يمكن الوصول إليه
error-unavailable-body = يرجى المحاولة مرة أخرى بعد دقيقة.
error-internal-body = هذا خطؤنا وليس خطأك. يرجى المحاولة مرة أخرى؛ وإذا تكرر ذلك، أخبر القائمين على هذا الموقع وأعطهم المرجع أدناه.
error-reference = المرجع: { $code } · الطلب { $request }
error-home-link = اذهب إلى الصفحة الرئيسية
error-bad-request-body = يرجى التحقق مما أدخلته والمحاولة مرة أخرى.

form-problems = هناك مشكلة
report-title = الإبلاغ عن مشكلة في هذه القائمة
report-about = القائمة:
report-reason = ما المشكلة؟
report-reason-wrong_details = رقم الهاتف أو العنوان أو ساعات العمل أو تفاصيل أخرى غير صحيحة
report-reason-closed = هذه الخدمة أُغلقت
report-reason-other = شيء آخر
report-details = أخبرنا بالمزيد (اختياري)
report-details-hint = لا تكتب اسمك أو بيانات الاتصال الخاصة بك أو بأي شخص آخر.
report-send = أرسل البلاغ
report-error-reason = اختر ما المشكلة في القائمة.
report-error-details-long = رسالتك طويلة جداً: اجعلها أقل من 2000 حرف.
report-error-details-control = تحتوي رسالتك على رموز لا يمكن حفظها.
report-thanks-title = شكراً لك
report-thanks-body = أُرسل بلاغك إلى القائمين على هذا الدليل. سيتحققون من القائمة.

error-forbidden-title = رُفض هذا الطلب
error-forbidden-body = لم يأتِ من صفحة في هذا الموقع، أو كانت الصفحة قديمة جداً. ارجع، وأعد تحميل الصفحة وحاول مرة أخرى.
