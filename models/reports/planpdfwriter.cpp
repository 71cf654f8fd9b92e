#include "reports/planpdfwriter.h"

#include "reports/plandocument.h"
#include "reports/planlayout.h"

#include <QBuffer>
#include <QDir>
#include <QFontMetricsF>
#include <QPageLayout>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>

namespace {

// A4 with room for the footer in the bottom margin; millimetres.
const QMarginsF kMargins(18, 16, 18, 20);
constexpr qreal kFooterFromBottom = 11;
constexpr int kResolution = 1200; // device pixels per inch; text and lines are vectors anyway

/// The project's name on the left, "Page 2 of 9" on the right, under a hairline.
void paintFooter(QPainter &painter, const PlanLayout &layout, const QString &left, int page, int pages)
{
    // In the layout's unit (1/96 inch), so that the font's pixel size is device independent.
    const qreal unit = layout.unit();
    const QRectF sheet(layout.sheet().topLeft() / unit, layout.sheet().size() / unit);
    const QRectF body(layout.body().topLeft() / unit, layout.body().size() / unit);
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setStyleHint(QFont::SansSerif);
    font.setPixelSize(10);
    const QFontMetricsF metrics(font);
    const qreal baseline = sheet.bottom() - kFooterFromBottom / 25.4 * 96;
    const QString right = PlanPdfWriter::tr("Page %1 of %2").arg(page).arg(pages);
    const qreal rightWidth = metrics.horizontalAdvance(right);

    painter.save();
    painter.scale(unit, unit);
    const qreal rule = baseline - metrics.ascent() - 5;
    painter.setPen(QPen(QColor(0xb9, 0xc2, 0xcc), 0.6));
    painter.drawLine(QPointF(body.left(), rule), QPointF(body.right(), rule));
    painter.setFont(font);
    painter.setPen(QColor(0x66, 0x66, 0x66));
    painter.drawText(QPointF(body.left(), baseline),
                     metrics.elidedText(left, Qt::ElideRight, body.width() - rightWidth - 20));
    painter.drawText(QPointF(body.right() - rightWidth, baseline), right);
    painter.restore();
}

Result<QByteArray> renderPdf(const PlanDocument &plan, PlanHtml::Content content)
{
    const bool whole = content == PlanHtml::Content::Plan;
    QByteArray bytes;
    QBuffer buffer(&bytes);
    if (!buffer.open(QIODevice::WriteOnly))
        return Error{PlanPdfWriter::tr("the PDF could not be started in memory.")};

    QPdfWriter writer(&buffer);
    writer.setResolution(kResolution);
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait, QMarginsF(),
                                     QPageLayout::Millimeter));
    writer.setTitle(whole ? PlanPdfWriter::tr("Migration plan: %1").arg(plan.projectName)
                          : PlanPdfWriter::tr("Migration checklist: %1").arg(plan.projectName));
    writer.setCreator(QStringLiteral("Stagecoach"));

    const PlanLayout layout(plan, writer, kMargins, content);
    QPainter painter;
    if (!painter.begin(&writer))
        return Error{PlanPdfWriter::tr("the PDF could not be started.")};
    const int pages = layout.pageCount();
    const QString footer = whole ? PlanPdfWriter::tr("%1 \u2014 Migration plan").arg(plan.projectName)
                                 : PlanPdfWriter::tr("%1 \u2014 Migration checklist").arg(plan.projectName);
    for (int i = 0; i < pages; ++i) {
        if (i > 0)
            writer.newPage();
        layout.paintPage(painter, i);
        if (i > 0 || !whole) // the plan's cover has no footer
            paintFooter(painter, layout, footer, i + 1, pages);
    }
    if (!painter.end())
        return Error{PlanPdfWriter::tr("the PDF could not be finished.")};
    buffer.close();
    if (bytes.isEmpty())
        return Error{PlanPdfWriter::tr("the PDF came out empty.")};
    return bytes;
}

Status save(const Result<QByteArray> &pdf, const QString &path)
{
    const QString shown = QDir::toNativeSeparators(path);
    if (!pdf)
        return Error{pdf.error().message, shown, pdf.error().hint};

    // QSaveFile writes beside the target and renames at the end: a failure leaves no half file.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        return Error{PlanPdfWriter::tr("the PDF could not be saved: %1.").arg(file.errorString()), shown,
                     PlanPdfWriter::tr("Choose a folder you can write to.")};
    }
    if (file.write(pdf.value()) != pdf.value().size()) {
        const QString reason = file.errorString();
        file.cancelWriting();
        return Error{PlanPdfWriter::tr("the PDF could not be written: %1.").arg(reason), shown,
                     PlanPdfWriter::tr("Check that the disk is not full, then save again.")};
    }
    if (!file.commit()) {
        return Error{PlanPdfWriter::tr("the PDF could not be saved: %1.").arg(file.errorString()), shown,
                     PlanPdfWriter::tr("Check that the folder is writable and the disk is not full.")};
    }
    return Status::success();
}

} // namespace

Result<QByteArray> PlanPdfWriter::render(const PlanDocument &plan)
{
    return renderPdf(plan, PlanHtml::Content::Plan);
}

Result<QByteArray> PlanPdfWriter::renderChecklist(const PlanDocument &plan)
{
    return renderPdf(plan, PlanHtml::Content::Checklist);
}

Status PlanPdfWriter::write(const PlanDocument &doc, const QString &path)
{
    return save(render(doc), path);
}

Status PlanPdfWriter::writeChecklist(const PlanDocument &doc, const QString &path)
{
    return save(renderChecklist(doc), path);
}
