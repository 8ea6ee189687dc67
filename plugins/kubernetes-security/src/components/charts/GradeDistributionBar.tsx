import { Grade, GRADES } from '@internal/plugin-kubernetes-security-common';
import Box from '@material-ui/core/Box';
import { GRADE_STYLES } from '../grades/gradeStyles';

/** How many services have each grade, as one stacked bar with counts. */
export function GradeDistributionBar({
  distribution,
  width = 160,
}: {
  distribution: Record<Grade, number>;
  width?: number;
}) {
  const total = GRADES.reduce((sum, g) => sum + distribution[g], 0);
  const description = GRADES.map(g => `${distribution[g]} ${g}`).join(', ');
  return (
    <Box
      display="flex"
      width={width}
      height={20}
      borderRadius={4}
      overflow="hidden"
      role="img"
      aria-label={`Grades: ${description}`}
      title={description}
      bgcolor="action.hover"
    >
      {total > 0 &&
        GRADES.filter(g => distribution[g] > 0).map(grade => (
          <Box
            key={grade}
            width={`${(distribution[grade] / total) * 100}%`}
            display="flex"
            alignItems="center"
            justifyContent="center"
            fontSize={11}
            fontWeight={700}
            style={{
              backgroundColor: GRADE_STYLES[grade].background,
              color: GRADE_STYLES[grade].text,
            }}
          >
            {distribution[grade]}
          </Box>
        ))}
    </Box>
  );
}
