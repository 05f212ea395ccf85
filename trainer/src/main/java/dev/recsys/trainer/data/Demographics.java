package dev.recsys.trainer.data;

/**
 * User demographics from {@code u.user} (ml-100k) or {@code users.dat} (ml-1m), aligned with the
 * dense user index. Values are unknown for users missing from the file.
 *
 * @param ages age in years (ml-100k) or the age-bucket code (ml-1m); -1 when unknown
 * @param genders 'M', 'F', or 0 when unknown
 * @param occupations occupation name or code; null when unknown
 */
public record Demographics(int[] ages, char[] genders, String[] occupations) {}
