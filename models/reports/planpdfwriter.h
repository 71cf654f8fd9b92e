#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

struct PlanDocument;

/**
 * Writes the migration plan as an A4 PDF: a cover, then objectives, the assessment, the platform
 * comparison, the timeline with its Gantt chart, the stages' criteria, risks, the checklist and a
 * sign-off block, with the project's name and page numbers in the footer. Text is real text in
 * embedded fonts (selectable and searchable); the Gantt chart is painted as vectors.
 */
class PlanPdfWriter
{
    Q_DECLARE_TR_FUNCTIONS(PlanPdfWriter)

public:
    /// The PDF's bytes.
    static Result<QByteArray> render(const PlanDocument &doc);
    /// Renders and saves to path; on failure nothing is left at path (an existing file stays as it
    /// was).
    static Status write(const PlanDocument &doc, const QString &path);

    /// The checklist alone (a title block, then the tasks by stage), for the people who work it.
    static Result<QByteArray> renderChecklist(const PlanDocument &doc);
    static Status writeChecklist(const PlanDocument &doc, const QString &path);
};
