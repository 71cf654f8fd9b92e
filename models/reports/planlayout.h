#pragma once

#include "plan/ganttchart.h"
#include "reports/planhtml.h"

#include <QRectF>
#include <QTextDocument>

#include <memory>
#include <optional>

class GanttTextObject;
class QPagedPaintDevice;
class QPainter;
struct PlanDocument;

/**
 * The plan laid out on the pages of a paged device (the PDF writer): PlanHtml's text in a
 * QTextDocument with the Gantt chart in it, paginated so that a heading stays with what follows
 * it and no table row is split between two pages (Qt has neither rule; see the .cpp).
 */
class PlanLayout
{
public:
    /// Lays the plan out for device, on its page size, inside the given margins (millimetres).
    PlanLayout(const PlanDocument &plan, QPagedPaintDevice &device, const QMarginsF &marginsMm,
               PlanHtml::Content content = PlanHtml::Content::Plan);
    ~PlanLayout();
    PlanLayout(const PlanLayout &) = delete;
    PlanLayout &operator=(const PlanLayout &) = delete;

    int pageCount() const { return m_doc.pageCount(); }
    QRectF sheet() const { return m_sheet; } ///< a whole page, in device pixels
    QRectF body() const { return m_body; }   ///< where the text flows, in device pixels
    qreal unit() const { return m_unit; }    ///< device pixels per 1/96 inch (the chart's unit)

    /// Paints the text and chart of page (from 0) onto a painter on the device's page.
    void paintPage(QPainter &painter, int page) const;

    const QTextDocument &document() const { return m_doc; }

private:
    void setMargins();
    void placeGanttSlices();
    void keepHeadingsWithText();
    void splitBlocksAtPageBreaks();
    std::optional<PlanHtml::RowBreak> firstSplitRow(const QList<PlanHtml::TablePart> &parts,
                                                    const QList<PlanHtml::RowBreak> &known) const;
    int pageOf(qreal y) const;
    void relayout();

    QRectF m_sheet;
    QRectF m_body;
    qreal m_unit = 1;
    GanttChart m_chart;
    QList<PlanHtml::Slice> m_slices;
    std::unique_ptr<GanttTextObject> m_ganttObject;
    QTextDocument m_doc;
};
