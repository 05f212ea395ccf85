/** Computing item-item neighbour tables from co-ratings (the table itself lives in models). */
package dev.recsys.trainer.neighbors;
